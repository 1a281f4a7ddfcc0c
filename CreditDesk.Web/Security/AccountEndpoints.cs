using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CreditDesk.Web.Security;

/// <summary>Sign-in and sign-out as plain form posts (cookies cannot be set from a Blazor circuit), with antiforgery and a rate limit.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The browser's sign-in and sign-out forms: not part of the API, so not in its OpenAPI document.
        endpoints.MapPost("/account/login", SignInAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).ExcludeFromDescription();
        // The token is checked although the post binds no field (nothing else would check it): another site must not sign people out.
        endpoints.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<IdentityUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Api.ApiProblems.Problem(StatusCodes.Status400BadRequest, "antiforgery",
                    "Sign out from CreditDesk's own pages.");
            }
            // Server-side: the stamp changes, so a copy of this cookie (or another tab's circuit) is refused from now on.
            if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
            {
                await SessionRevalidation.EndSessionsAsync(signIn.UserManager, user);
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect(Authentication.LoginPath);
        }).RequireAuthorization().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl, SignInManager<IdentityUser> signIn, HttpResponse response)
    {
        var target = LocalUrl.OrRoot(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || email.Length > 256 || password.Length > 256)
        {
            return Back("invalid", target);
        }
        var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await Localization.CultureEndpoints.RestoreChoiceAsync(signIn.UserManager, response, email.Trim());
            return Results.LocalRedirect(target);
        }
        if (result.IsLockedOut)
        {
            // A locked account's open sessions end too (someone may be guessing its password while it is in use).
            if (await signIn.UserManager.FindByNameAsync(email.Trim()) is { } locked)
            {
                await SessionRevalidation.EndSessionsAsync(signIn.UserManager, locked);
            }
            return Back("locked", target);
        }
        return Back("invalid", target);
    }

    private static IResult Back(string error, string returnUrl) =>
        Results.LocalRedirect($"{Authentication.LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}");
}
