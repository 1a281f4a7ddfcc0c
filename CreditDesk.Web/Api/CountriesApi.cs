using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;

namespace CreditDesk.Web.Api;

/// <summary><c>GET /api/v1/countries</c>: everything a client needs to draw the application form for each country.</summary>
public static class CountriesApi
{
    public sealed record CountryResponse(
        string Code, string Name, string Currency, string DocumentName, string DocumentHint, string DocumentPlaceholder, string Bureau,
        int MinTermMonths, int MaxTermMonths, int DefaultTermMonths);

    public static RouteHandlerBuilder MapCountriesApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/v1/countries", () => TypedResults.Ok(CountryRegistry.All.Select(p => new CountryResponse(
                p.Code, p.Name, p.Currency, p.DocumentName, p.DocumentHint, p.DocumentPlaceholder, p.BureauName,
                ApplicationFormRules.MinimumTermMonths, ApplicationFormRules.MaximumTermMonths, ApplicationFormRules.DefaultTermMonths)).ToList()))
            .AllowAnonymous().WithMetadata(OpenApiContract.ReadsNoDatabase.Instance)
            .WithTags("Countries").WithName("ListCountries");
}
