using CreditDesk.Infrastructure.Events;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>
/// Pooled connections go back without Npgsql's reset (DISCARD ALL or its seven statements, parsed before every reuse):
/// so whatever leaves session state on a connection must clear it itself.
/// </summary>
public sealed class PooledConnectionTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_connection_comes_back_from_the_pool_unreset_and_the_stopped_listener_left_its_connection_listening_to_nothing()
    {
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
        var dataSource = node.Get<NpgsqlDataSource>();
        var listener = node.Get<PostgresNotificationListener>();
        int marked;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var mark = new NpgsqlCommand("SELECT set_config('creditdesk.probe', 'kept', false)", connection);
            await mark.ExecuteNonQueryAsync();
            marked = connection.ProcessID;
        }
        var listenerBackend = listener.BackendProcessId;
        await listener.StopAsync(CancellationToken.None);

        // Take every idle connection out of the pool at once: the two above are among them.
        var held = new List<NpgsqlConnection>();
        try
        {
            var seen = new Dictionary<int, (string? Probe, long Channels)>();
            for (var i = 0; i < 30 && !(seen.ContainsKey(marked) && seen.ContainsKey(listenerBackend)); i++)
            {
                var connection = await dataSource.OpenConnectionAsync();
                held.Add(connection);
                await using var read = new NpgsqlCommand(
                    "SELECT current_setting('creditdesk.probe', true), (SELECT count(*) FROM pg_listening_channels())", connection);
                await using var reader = await read.ExecuteReaderAsync();
                await reader.ReadAsync();
                seen[connection.ProcessID] = (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1));
            }

            Assert.Equal("kept", seen[marked].Probe);
            Assert.True(seen.ContainsKey(listenerBackend), "the listener's connection went back to the pool");
            Assert.All(seen.Values, connection => Assert.Equal(0, connection.Channels));
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
