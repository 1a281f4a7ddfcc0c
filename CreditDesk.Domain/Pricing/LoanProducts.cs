using System.Collections.Concurrent;
using CreditDesk.Domain.Countries;

namespace CreditDesk.Domain.Pricing;

/// <summary>
/// Every loan product this process has seen, by version. A version is a hash of the content, so an entry can never go
/// stale: the same version always means the same terms. The countries' own products are known from the start; products
/// admins create are added as they are read from the database.
/// </summary>
public static class LoanProducts
{
    private static readonly ConcurrentDictionary<string, LoanProduct> ByVersion =
        new(CountryRegistry.All.Select(policy => KeyValuePair.Create(policy.Product.Version, policy.Product)), StringComparer.Ordinal);

    public static LoanProduct Remember(LoanProduct product) => ByVersion.GetOrAdd(product.Version, product);

    public static LoanProduct? Find(string? version) => version is not null && ByVersion.TryGetValue(version, out var product) ? product : null;

    /// <summary>The product of <paramref name="version"/> when known and of <paramref name="country"/>; the country's own otherwise.</summary>
    public static LoanProduct For(string country, string? version) =>
        Find(version) is { } product && product.Country == country ? product : CountryRegistry.Get(country).Product;
}
