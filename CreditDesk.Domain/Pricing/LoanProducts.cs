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
    private static readonly ConcurrentDictionary<string, LoanProduct> ByVersion = Known();

    /// <summary>Remembers a product under its version and under the comma-decimal hash older records may carry.</summary>
    public static LoanProduct Remember(LoanProduct product)
    {
        var known = ByVersion.GetOrAdd(product.Version, product);
        ByVersion.TryAdd(product.CommaDecimalVersion, known);
        return known;
    }

    public static LoanProduct? Find(string? version) => version is not null && ByVersion.TryGetValue(version, out var product) ? product : null;

    /// <summary>The product of <paramref name="version"/> when known and of <paramref name="country"/>; the country's own otherwise.</summary>
    public static LoanProduct For(string country, string? version) =>
        Find(version) is { } product && product.Country == country ? product : CountryRegistry.Get(country).Product;

    private static ConcurrentDictionary<string, LoanProduct> Known()
    {
        var known = new ConcurrentDictionary<string, LoanProduct>(StringComparer.Ordinal);
        foreach (var policy in CountryRegistry.All)
        {
            known.TryAdd(policy.Product.Version, policy.Product);
            known.TryAdd(policy.Product.CommaDecimalVersion, policy.Product);
        }
        return known;
    }
}
