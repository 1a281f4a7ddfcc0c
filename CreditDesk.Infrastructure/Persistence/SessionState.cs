using Npgsql;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// Pooled connections go back without Npgsql's reset (<c>No Reset On Close</c>, see <see cref="Extensions"/>): code that
/// leaves state on a session (a LISTEN, an advisory lock, a transaction opened in SQL) clears it with this before the
/// connection goes back. If clearing fails, the pool is cleared instead, so the connection is closed, not reused.
/// </summary>
internal static class SessionState
{
    public static async Task ClearAsync(NpgsqlConnection connection, string sql, Action<NpgsqlParameterCollection>? addParameters = null)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }
        try
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 5 };
            addParameters?.Invoke(command.Parameters);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // Broken (Npgsql will not pool it again) or busy: connections opened before a clear are closed when they come back.
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
