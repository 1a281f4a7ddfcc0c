using System.Security.Claims;
using System.Text.Encodings.Web;
using CreditDesk.Infrastructure.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CreditDesk.Web.Security;

/// <summary><c>Authorization: Bearer &lt;api key&gt;</c>: the key's role becomes the caller's role. An address that keeps
/// presenting unknown keys is answered 429 (<see cref="ApiKeyFailures"/>).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, ApiKeyFailures failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    /// <summary>This request was refused for its address's failures: the challenge is a 429, not a 401.</summary>
    private bool throttled;

    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        // A public endpoint (problem registry, countries, the bank's signed webhook) does not look at a key, so
        // a key sent there is not checked: no lookup, and the answer does not depend on the database being there.
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || Context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            return AuthenticateResult.NoResult();
        }
        var presented = header[BearerPrefix.Length..].Trim();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wellFormed = presented.Length is > 0 and <= 200;
        var key = wellFormed ? keys.FindCached(presented) : null;
        if (key is null && failures.IsUsedUp(address))
        {
            throttled = true;
            return AuthenticateResult.Fail("Too many failed API keys from this address.");
        }
        if (key is null && wellFormed)
        {
            key = await keys.FindAsync(presented, Context.RequestAborted);
        }
        if (key is null)
        {
            failures.TryTake(address);
            return AuthenticateResult.Fail("Unknown, revoked or malformed API key.");
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, key.UserId ?? $"apikey:{key.Id}"),
            new Claim(ClaimTypes.Name, key.Name),
            new Claim(ClaimTypes.Role, key.Role),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!throttled)
        {
            await base.HandleChallengeAsync(properties);
            return;
        }
        Response.Headers.RetryAfter = failures.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Api.ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited",
            "This address presented too many unknown API keys; retry later with a valid one.").ExecuteAsync(Context);
    }
}
