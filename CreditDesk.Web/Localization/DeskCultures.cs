using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CreditDesk.Web.Localization;

/// <summary>
/// The cultures the desk speaks and writes numbers in, and how one is chosen: the person's own choice (the language menu,
/// kept in a cookie and, once signed in, in their profile) → the browser's Accept-Language → English. The interactive
/// circuit is opened by a request that carries the same cookie, so it keeps the culture the page was rendered in.
/// </summary>
public static class DeskCultures
{
    public const string Default = "en";

    /// <summary>Every culture a request may resolve to: the four languages and the countries' regional formats.</summary>
    public static readonly string[] Names = ["en", "es", "es-ES", "es-MX", "es-CO", "pt", "pt-PT", "pt-BR", "it", "it-IT"];

    /// <summary>What the language menu offers: a language with its country's formats (English with the neutral ones).</summary>
    public static readonly string[] Choices = ["en", "es-ES", "es-MX", "es-CO", "pt-PT", "pt-BR", "it-IT"];

    /// <summary>The cookie that keeps an explicit choice (ASP.NET Core's own name and format, "c=pt-BR|uic=pt-BR").</summary>
    public static readonly string CookieName = CookieRequestCultureProvider.DefaultCookieName;

    /// <summary>Where a signed-in person's choice is kept: a claim on their account, so it follows them to another browser.</summary>
    public const string ProfileClaim = "creditdesk:culture";

    public static IServiceCollection AddDeskCultures(this IServiceCollection services)
    {
        services.AddLocalization();
        // Pages carry accented words as they are ("crédito"), not as character references ("cr&#xE9;dito").
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Names.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(Default);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            // No query-string provider: the desk's addresses carry filters, not languages.
            options.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = CookieName }, new AcceptLanguageHeaderRequestCultureProvider()];
        });
    }

    /// <summary>A culture the desk supports, by name (any case), or null.</summary>
    public static CultureInfo? Find(string? name) =>
        Names.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) is { } found ? CultureInfo.GetCultureInfo(found) : null;

    /// <summary>Whether this request's culture is the person's explicit choice (the cookie), not the browser's guess.</summary>
    public static bool IsChosen(HttpContext context) =>
        context.Features.Get<IRequestCultureFeature>()?.Provider is CookieRequestCultureProvider;

    /// <summary>Remembers a choice in this browser for a year.</summary>
    public static void Remember(HttpResponse response, CultureInfo culture) =>
        response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
        });

    /// <summary>How the menu names a culture: in its own language ("Português (Brasil)").</summary>
    public static string NativeName(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        return culture.TextInfo.ToUpper(culture.NativeName[0]) + culture.NativeName[1..];
    }
}
