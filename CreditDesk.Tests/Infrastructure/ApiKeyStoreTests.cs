using CreditDesk.Infrastructure.Access;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>The API-key cache is bounded: made-up keys cannot grow it past its size, and "unknown" is remembered only briefly.</summary>
public sealed class ApiKeyStoreTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();
    private NpgsqlDataSource dataSource = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        // A node migrates the schema on start; the stores under test are then made by hand.
        await using (await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" }))
        {
        }
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_of_made_up_keys_never_holds_more_entries_than_the_bound()
    {
        using var store = new ApiKeyStore(dataSource, TimeProvider.System, cacheEntries: 50);

        for (var i = 0; i < 200; i++)
        {
            Assert.Null(await store.FindAsync($"cdk_made_up_{i}", CancellationToken.None));
        }

        Assert.InRange(store.CachedCount, 1, 50);
    }

    [Fact]
    public async Task An_unknown_key_is_remembered_for_seconds_not_until_the_process_restarts()
    {
        var clock = new ManualClock();
        using var thisNode = new ApiKeyStore(dataSource, clock);
        using var otherNode = new ApiKeyStore(dataSource, TimeProvider.System);
        const string secret = "cdk_created_on_another_node_0001";

        Assert.Null(await thisNode.FindAsync(secret, CancellationToken.None));
        await otherNode.EnsureAsync("partner", Roles.Officer, null, secret, CancellationToken.None);
        Assert.Null(await thisNode.FindAsync(secret, CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.NotNull(await thisNode.FindAsync(secret, CancellationToken.None));
    }
}
