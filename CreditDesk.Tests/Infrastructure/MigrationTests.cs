using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Infrastructure;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Migrations_applied_twice_concurrently_leave_one_consistent_schema()
    {
        await using var nodeA = InfrastructureServices.Build(database.ConnectionString);
        await using var nodeB = InfrastructureServices.Build(database.ConnectionString);

        await Task.WhenAll(MigrateAsync(nodeA), MigrateAsync(nodeB), MigrateAsync(nodeA), MigrateAsync(nodeB));

        await using var scope = nodeA.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDeskDbContext>();
        var known = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(known);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(known.Count, await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
        Assert.Equal(known.Count, await database.ScalarAsync<long>("SELECT count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\""));
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'ux_credit_applications_one_active_per_person'"));
    }

    [Fact]
    public async Task Every_mapped_property_has_a_column_in_the_migrated_schema()
    {
        await using var services = InfrastructureServices.Build(database.ConnectionString);
        await MigrateAsync(services);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDeskDbContext>();
        var missing = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName();
                var exists = await database.ScalarAsync<long>(
                    $"SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{column}'");
                if (exists == 0 && column != "xmin")
                {
                    missing.Add($"{table}.{column}");
                }
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Money_columns_are_numeric_14_2()
    {
        await using var services = InfrastructureServices.Build(database.ConnectionString);
        await MigrateAsync(services);

        var moneyColumns = await database.ScalarAsync<long>("""
            SELECT count(*) FROM information_schema.columns
            WHERE table_name = 'credit_applications' AND column_name IN ('requested_amount', 'monthly_income')
              AND data_type = 'numeric' AND numeric_precision = 14 AND numeric_scale = 2
            """);
        Assert.Equal(2L, moneyColumns);
    }

    private static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }
}
