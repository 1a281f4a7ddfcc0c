using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreditDesk.Web.Security;

/// <summary>
/// Sessions that really end. Signing out, being locked out or changing the password renews the account's security stamp;
/// a cookie carrying the old stamp is refused on its next request once <c>Security:SessionCheckInterval</c> has passed
/// since it was last checked (Identity's security-stamp validator), and an open page's circuit, checked on the same
/// interval, falls back to signed out. A copied cookie is worth nothing after that.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SessionOptions> session)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>A circuit is checked at least every second even when cookies are checked on every request.</summary>
    protected override TimeSpan RevalidationInterval => session.Value.SessionCheckInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : session.Value.SessionCheckInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return await IsCurrentAsync(users, identity.Value, authenticationState.User);
    }

    /// <summary>Whether the principal's stamp is still the account's and the account is not locked out.</summary>
    private static async Task<bool> IsCurrentAsync(UserManager<IdentityUser> users, IdentityOptions identity, ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return true;
        }
        if (await users.GetUserAsync(principal) is not { } user || await users.IsLockedOutAsync(user))
        {
            return false;
        }
        return principal.FindFirstValue(identity.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }

    /// <summary>Ends every session of the account: its cookies and circuits are refused at their next check.</summary>
    public static Task EndSessionsAsync(UserManager<IdentityUser> users, IdentityUser user) => users.UpdateSecurityStampAsync(user);
}

/// <summary><c>Security:</c> settings for sessions.</summary>
public sealed class SessionOptions
{
    /// <summary>How long a cookie or a circuit may go without its security stamp being checked (0: every request).</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
