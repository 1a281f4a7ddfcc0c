using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CreditDesk.Web.Localization;

/// <summary>
/// The cultures the desk reads and writes numbers in. The browser's Accept-Language picks one (English otherwise); the
/// interactive circuit keeps the culture of the request that opened it, so amounts typed on the apply form are read the
/// way that person writes them.
/// </summary>
public static class DeskCultures
{
    public const string Default = "en";

    public static readonly string[] Names = ["en", "es", "es-ES", "es-MX", "es-CO", "pt", "pt-PT", "pt-BR", "it", "it-IT"];

    public static IServiceCollection AddDeskCultures(this IServiceCollection services) =>
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Names.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(Default);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
        });
}
