using Npgsql;

namespace CreditDesk.Tests.Support;

/// <summary>Raw SQL helpers for assertions: the tests read the database as an auditor would, not through the app.</summary>
public static class Db
{
    public static async Task<List<T>> ListAsync<T>(this PostgresDatabase database, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    public static async Task ExecuteAsync(this PostgresDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Submits an application (with <paramref name="submit"/>) and puts it in <paramref name="status"/>, taken out of the
    /// outbox before the drain decided it: a decision is gated on its outbox row, so once that row is gone the drain
    /// writes nothing more. The drain wakes at once and sometimes decides first; that application is left to it and
    /// another one submitted. When the drain wins ten times in a row (seen once on a fresh-clone run), the last one is
    /// put in the status once decided, as before this helper existed (it then carries that decision's record).
    /// </summary>
    public static async Task<Guid> SubmitOutOfPipelineAsync(this PostgresDatabase database, Func<Task<Guid>> submit, string status)
    {
        for (var attempt = 1; ; attempt++)
        {
            var id = await submit();
            if (await database.TryTakeFromPipelineAsync(id, status))
            {
                return id;
            }
            if (attempt == 10)
            {
                await database.ExecuteAsync($"UPDATE credit_applications SET status = '{status}', updated_at = now() WHERE id = '{id}'");
                return id;
            }
        }
    }

    /// <summary>Puts an application in <paramref name="status"/> if the drain has not decided it yet (see <see cref="SubmitOutOfPipelineAsync"/>).</summary>
    public static async Task<bool> TryTakeFromPipelineAsync(this PostgresDatabase database, Guid id, string status) =>
        await database.ScalarAsync<long>($"""
            WITH unclaimed AS (
                DELETE FROM application_outbox WHERE application_id = '{id}' RETURNING application_id),
            moved AS (
                UPDATE credit_applications SET status = '{status}', updated_at = now() WHERE id IN (SELECT application_id FROM unclaimed) RETURNING id)
            SELECT count(*) FROM moved
            """) == 1;

    /// <summary>Polls until every application in the list has left PENDING/VALIDATING, or fails after the timeout.</summary>
    public static async Task WaitUntilDecidedAsync(this PostgresDatabase database, TimeSpan timeout, int expectedCount)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Polled every 50 ms while a benchmark drains: an EXISTS stops at the first undecided row, where two counts
            // scanned the whole table (in parallel, with workers started each time) on the cores the drain runs on.
            var anyUndecided = await database.ScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM credit_applications WHERE status IN ('PENDING', 'VALIDATING'))");
            if (!anyUndecided && await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications") >= expectedCount)
            {
                return;
            }
            if (DateTime.UtcNow >= deadline)
            {
                var undecided = await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications WHERE status IN ('PENDING', 'VALIDATING')");
                var total = await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
                Assert.Fail($"{undecided} of {total} applications still undecided after {timeout}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until a Development node has seeded the three demo users, their API keys and the development bank.</summary>
    public static async Task WaitForDevelopmentAccountsAsync(this PostgresDatabase database)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM identity_users) + (SELECT count(*) FROM api_keys) + (SELECT count(*) FROM bank_keys)") < 7)
        {
            Assert.True(DateTime.UtcNow < deadline, "The development users, API keys and bank were not seeded.");
            await Task.Delay(100);
        }
    }

    public static Task<string?> StatusAsync(this PostgresDatabase database, Guid id) =>
        database.ScalarAsync<string>($"SELECT status FROM credit_applications WHERE id = '{id}'");
}
