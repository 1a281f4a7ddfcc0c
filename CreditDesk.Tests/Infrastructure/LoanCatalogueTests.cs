using System.Text.Json;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>Issue #22: the catalogue reads rows stored under the comma-decimal hash of before 2026-11-23 as the same version.</summary>
public sealed class LoanCatalogueTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_product_stored_under_its_comma_decimal_hash_and_again_under_its_version_is_listed_once_and_found_by_either()
    {
        var brazil = CountryRegistry.Get("BR").Product;
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
        // What a Portuguese products page stored before the fix, earlier than the row the current code stores.
        await database.ExecuteAsync($"""
            INSERT INTO loan_products (version, country, effective_from, definition, created_by, created_at)
            VALUES ('{brazil.CommaDecimalVersion}', 'BR', '{brazil.EffectiveFrom:yyyy-MM-dd}',
                    '{JsonSerializer.Serialize(brazil, Json.Options)}'::jsonb, 'system', now() - interval '1 day')
            ON CONFLICT (version) DO NOTHING
            """);
        using var catalogue = new LoanCatalogue(node.Get<Npgsql.NpgsqlDataSource>(), TimeProvider.System);

        var versions = await catalogue.VersionsAsync("BR", CancellationToken.None);

        var only = Assert.Single(versions);
        Assert.Equal(brazil.Version, only.Product.Version);
        Assert.True(only.InEffect);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM loan_products WHERE country = 'BR'"));
        Assert.Same(brazil, await catalogue.FindAsync("BR", brazil.CommaDecimalVersion, CancellationToken.None));
    }
}
