using System.Diagnostics.CodeAnalysis;
using CreditDesk.Domain.Countries.Brazil;
using CreditDesk.Domain.Countries.Colombia;
using CreditDesk.Domain.Countries.Italy;
using CreditDesk.Domain.Countries.Mexico;
using CreditDesk.Domain.Countries.Portugal;
using CreditDesk.Domain.Countries.Spain;

namespace CreditDesk.Domain.Countries;

/// <summary>The countries CreditDesk lends in. A new country is a new folder and one line here.</summary>
public static class CountryRegistry
{
    public static IReadOnlyList<ICountryPolicy> All { get; } =
    [
        new SpainPolicy(),
        new PortugalPolicy(),
        new ItalyPolicy(),
        new MexicoPolicy(),
        new ColombiaPolicy(),
        new BrazilPolicy(),
    ];

    private static readonly Dictionary<string, ICountryPolicy> ByCode =
        All.ToDictionary(policy => policy.Code, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string? code, [NotNullWhen(true)] out ICountryPolicy? policy)
    {
        policy = null;
        return code is not null && ByCode.TryGetValue(code.Trim(), out policy);
    }

    /// <summary>The policy for <paramref name="code"/>; an unknown code is a domain error.</summary>
    public static ICountryPolicy Get(string? code) =>
        TryGet(code, out var policy) ? policy : throw new DomainException(DomainError.UnknownCountry(code));
}
