using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Pricing;
using CreditDesk.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>One version of a country's product as the catalogue lists it: when it takes effect, who made it, whether it is the one in effect.</summary>
public sealed record ProductVersionEntry(LoanProduct Product, string CreatedBy, DateTimeOffset CreatedAt, bool InEffect);

/// <summary>Why an admin's product was refused, by field (English, for the API and the form alike).</summary>
public sealed record ProductProblem(string Field, string Message);

/// <summary>
/// The loan products admins set, with the day each takes effect, in <c>loan_products</c> (rows never change). The
/// product in effect for a country is the one with the latest effective date not after today (the later-created on a
/// tie); the countries' own files are stored there too on first use, so every version any decision used stays readable.
/// Reads come from memory, refreshed at most every <see cref="Freshness"/> (another node's new product is seen within
/// that; this node's at once).
/// </summary>
public sealed class LoanCatalogue(NpgsqlDataSource dataSource, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile Snapshot? snapshot;

    private sealed record Snapshot(IReadOnlyList<ProductVersionEntry> All, DateTimeOffset LoadedAt);

    /// <summary>The product an application submitted now is priced with.</summary>
    public async Task<LoanProduct> CurrentAsync(string country, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken);
        return InEffect(all, country, Today)?.Product ?? CountryRegistry.Get(country).Product;
    }

    /// <summary>A product by version (what an application was priced with); the country's own when unknown or recorded before products were.</summary>
    public async Task<LoanProduct> FindAsync(string country, string? version, CancellationToken cancellationToken)
    {
        if (version is null || LoanProducts.Find(version) is not null)
        {
            return LoanProducts.For(country, version);
        }
        await RefreshAsync(cancellationToken);
        return LoanProducts.For(country, version);
    }

    /// <summary>
    /// Makes sure every product version in <paramref name="versions"/> is known to <see cref="LoanProducts"/> (what
    /// prices a row on a screen), reading the catalogue again when one is not — a version another node created moments
    /// ago. Free when all are known, the usual case.
    /// </summary>
    public async Task LearnAsync(IEnumerable<string?> versions, CancellationToken cancellationToken)
    {
        if (versions.Any(version => version is not null && LoanProducts.Find(version) is null))
        {
            await RefreshAsync(cancellationToken);
        }
    }

    /// <summary>Reads the catalogue once (at start-up), so the first screens price with what admins set.</summary>
    public Task WarmAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    /// <summary>Every version of a country's product, newest effective date first.</summary>
    public async Task<IReadOnlyList<ProductVersionEntry>> VersionsAsync(string country, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken);
        var current = InEffect(all, country, Today);
        return all.Where(entry => entry.Product.Country == country)
            .OrderByDescending(entry => entry.Product.EffectiveFrom).ThenByDescending(entry => entry.CreatedAt)
            .Select(entry => entry with { InEffect = ReferenceEquals(entry, current) })
            .ToList();
    }

    /// <summary>What is wrong with a product an admin proposes; empty when it can be saved.</summary>
    public IReadOnlyList<ProductProblem> Check(LoanProduct product)
    {
        var problems = new List<ProductProblem>();
        if (!CountryRegistry.TryGet(product.Country, out var policy))
        {
            return [new("country", "Unknown country.")];
        }
        if (product.Currency != policy.Currency)
        {
            problems.Add(new("currency", $"{policy.Code} lends in {policy.Currency}."));
        }
        if (product.EffectiveFrom < Today)
        {
            problems.Add(new("effective_from", "A product takes effect today or later; the past is what decisions already used."));
        }
        if (product.MinAmount <= 0 || product.MaxAmount < product.MinAmount || product.MaxAmount > ApplicationFormRules.MaximumMoney)
        {
            problems.Add(new("max_amount", "Amounts must satisfy 0 < minimum ≤ maximum."));
        }
        if (product.MinTermMonths < ApplicationFormRules.MinimumTermMonths || product.MaxTermMonths > ApplicationFormRules.MaximumTermMonths
            || product.MaxTermMonths < product.MinTermMonths)
        {
            problems.Add(new("max_term_months",
                $"Terms must lie within {ApplicationFormRules.MinimumTermMonths}–{ApplicationFormRules.MaximumTermMonths} months, minimum ≤ maximum."));
        }
        if (product.OpeningFeeRate is < 0m or > 0.10m)
        {
            problems.Add(new("opening_fee_rate", "The opening fee is a fraction between 0 and 0.10 of the amount."));
        }
        if (product.Bands.Count is 0 or > 10 || product.Bands.Any(band => band.NominalAnnualRate is <= 0m or > 1.5m)
            || product.Bands.Zip(product.Bands.Skip(1)).Any(pair => pair.Second.UpToAmount <= pair.First.UpToAmount)
            || product.Bands[^1].UpToAmount < product.MaxAmount)
        {
            problems.Add(new("bands",
                "1–10 rate bands with ascending ceilings, the last covering the maximum amount, each rate a fraction above 0 and at most 1.5."));
        }
        if (product.Figure != policy.Product.Figure)
        {
            problems.Add(new("figure", $"{policy.Code}'s law asks for {policy.Product.Figure}."));
        }
        return problems;
    }

    /// <summary>Stores a new version (checked first); false when the very same terms are already stored.</summary>
    public async Task<bool> SaveAsync(LoanProduct product, string adminId, CancellationToken cancellationToken)
    {
        if (Check(product) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems.Select(problem => problem.Message)), nameof(product));
        }
        await EnsureCountriesStoredAsync(cancellationToken);
        var inserted = await InsertAsync(product, adminId, cancellationToken);
        await RefreshAsync(cancellationToken);
        return inserted;
    }

    public void Dispose() => loading.Dispose();

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static ProductVersionEntry? InEffect(IReadOnlyList<ProductVersionEntry> all, string country, DateOnly day) =>
        all.Where(entry => entry.Product.Country == country && entry.Product.EffectiveFrom <= day)
            .OrderByDescending(entry => entry.Product.EffectiveFrom).ThenByDescending(entry => entry.CreatedAt)
            .FirstOrDefault();

    private async Task<IReadOnlyList<ProductVersionEntry>> AllAsync(CancellationToken cancellationToken)
    {
        var current = snapshot;
        if (current is not null && clock.GetUtcNow() - current.LoadedAt < Freshness)
        {
            return current.All;
        }
        return await RefreshAsync(cancellationToken, onlyIfStale: true);
    }

    /// <summary>Reads the table again; with <paramref name="onlyIfStale"/>, callers that queued behind another's read use its result.</summary>
    private async Task<IReadOnlyList<ProductVersionEntry>> RefreshAsync(CancellationToken cancellationToken, bool onlyIfStale = false)
    {
        await loading.WaitAsync(cancellationToken);
        try
        {
            if (onlyIfStale && snapshot is { } fresh && clock.GetUtcNow() - fresh.LoadedAt < Freshness)
            {
                return fresh.All;
            }
            if (snapshot is null)
            {
                await EnsureCountriesStoredAsync(cancellationToken);
            }
            // Oldest first, one entry per version: before 2026-11-23 a row could be stored under its comma-decimal hash
            // (LoanProduct.CommaDecimalVersion) and the same terms again under the invariant one; they are one version.
            await using var command = dataSource.CreateCommand("SELECT definition::text, created_by, created_at FROM loan_products ORDER BY created_at, version");
            var all = new List<ProductVersionEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var product = LoanProducts.Remember(JsonSerializer.Deserialize<LoanProduct>(reader.GetString(0), Json.Options)!);
                    if (!seen.Add(product.Version))
                    {
                        continue;
                    }
                    all.Add(new ProductVersionEntry(product, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), false));
                }
            }
            snapshot = new Snapshot(all, clock.GetUtcNow());
            return all;
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>The countries' own products, stored once (a new file version is a new row; nothing is overwritten).</summary>
    private async Task EnsureCountriesStoredAsync(CancellationToken cancellationToken)
    {
        foreach (var policy in CountryRegistry.All)
        {
            await InsertAsync(policy.Product, "system", cancellationToken);
        }
    }

    private async Task<bool> InsertAsync(LoanProduct product, string createdBy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO loan_products (version, country, effective_from, definition, created_by, created_at)
            VALUES (@version, @country, @effective, @definition, @by, @now) ON CONFLICT (version) DO NOTHING
            """);
        command.Parameters.AddWithValue("version", product.Version);
        command.Parameters.AddWithValue("country", product.Country);
        command.Parameters.AddWithValue("effective", product.EffectiveFrom);
        command.Parameters.AddWithValue("definition", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(product, Json.Options));
        command.Parameters.AddWithValue("by", createdBy);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
