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
public sealed partial class SessionRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<SessionOptions> session)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger logger = loggerFactory.CreateLogger<SessionRevalidation>();

    /// <summary>A circuit is checked at least every second even when cookies are checked on every request.</summary>
    protected override TimeSpan RevalidationInterval => session.Value.SessionCheckInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : session.Value.SessionCheckInterval;

    /// <summary>
    /// Whether the circuit's session still holds. A check that fails (the database unreachable for a moment) is tried again
    /// on the next interval: the base class would sign the page out, so one failover would send every open desk to the
    /// sign-in page and lose what people were typing. A page can do nothing without the database meanwhile, and the next
    /// check that gets an answer ends a session that has ended. Anything else (a bug, the app shutting down) still signs
    /// the page out: a check that cannot be made for another reason must not keep a session open.
    /// </summary>
    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            return await IsCurrentAsync(users, identity.Value, authenticationState.User);
        }
        catch (Exception exception) when (exception is TimeoutException || Api.DatabaseUnavailableHandler.IsDatabaseUnavailable(exception))
        {
            LogCheckFailed(logger, exception, RevalidationInterval);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A session check failed; it is tried again in {Interval}")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, TimeSpan interval);

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
