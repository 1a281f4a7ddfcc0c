using Npgsql;

namespace CreditDesk.Tests.Support;

/// <summary>Another session holding one application's row (<c>FOR UPDATE</c>) until it commits: writes to it queue behind.</summary>
public sealed class RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public static async Task<RowLock> TakeAsync(PostgresDatabase database, Guid applicationId)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        var held = new RowLock(connection, transaction);
        await held.ExecuteAsync($"SELECT 1 FROM credit_applications WHERE id = '{applicationId}' FOR UPDATE");
        return held;
    }

    /// <summary>Runs a statement in the holding transaction (seen by others once it commits).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    public Task CommitAsync() => transaction.CommitAsync();

    /// <summary>Sessions waiting on a lock whose statement contains <paramref name="statement"/>.</summary>
    public static Task<long> WaitersAsync(PostgresDatabase database, string statement) => database.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{statement}%'");

    /// <summary>Waits (up to 10 s) until exactly <paramref name="count"/> sessions running <paramref name="statement"/> wait on a lock.</summary>
    public static async Task WaitForWaitersAsync(PostgresDatabase database, string statement, long count)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); await WaitersAsync(database, statement) != count; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} session(s) running {statement} waiting on a lock.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
