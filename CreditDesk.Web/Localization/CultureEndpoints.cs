using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace CreditDesk.Web.Localization;

/// <summary>
/// The language choice: a cookie set by a plain GET (a circuit cannot set cookies; the page reloads in the new language),
/// and a signed-in person's profile, which the circuit writes before it navigates here and sign-in reads back.
/// </summary>
public static class CultureEndpoints
{
    public const string Path = "/culture";

    public static IEndpointRouteBuilder MapCultureEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (HttpContext context, string? name, string? returnUrl) =>
        {
            if (DeskCultures.Find(name) is { } culture)
            {
                DeskCultures.Remember(context.Response, culture);
            }
            return Results.LocalRedirect(Security.LocalUrl.OrRoot(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The address that switches to <paramref name="culture"/> and comes back to <paramref name="returnUrl"/>.</summary>
    public static string SwitchTo(string culture, string returnUrl) =>
        $"{Path}?name={Uri.EscapeDataString(culture)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Keeps a signed-in person's choice on their account.</summary>
    public static async Task SaveChoiceAsync(UserManager<IdentityUser> users, string userId, string culture)
    {
        if (await users.FindByIdAsync(userId) is not { } user || DeskCultures.Find(culture) is not { } known)
        {
            return;
        }
        var claims = await users.GetClaimsAsync(user);
        var chosen = new Claim(DeskCultures.ProfileClaim, known.Name);
        if (claims.FirstOrDefault(claim => claim.Type == DeskCultures.ProfileClaim) is { } previous)
        {
            if (previous.Value != known.Name)
            {
                await users.ReplaceClaimAsync(user, previous, chosen);
            }
        }
        else
        {
            await users.AddClaimAsync(user, chosen);
        }
    }

    /// <summary>At sign-in: the choice kept on the account becomes this browser's.</summary>
    public static async Task RestoreChoiceAsync(UserManager<IdentityUser> users, HttpResponse response, string userName)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
        {
            return;
        }
        var kept = (await users.GetClaimsAsync(user)).FirstOrDefault(claim => claim.Type == DeskCultures.ProfileClaim)?.Value;
        if (DeskCultures.Find(kept) is { } culture)
        {
            DeskCultures.Remember(response, culture);
        }
    }
}
