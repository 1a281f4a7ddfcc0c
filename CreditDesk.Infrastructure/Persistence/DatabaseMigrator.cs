using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>Applies pending migrations while holding a PostgreSQL advisory lock, so nodes starting together take turns.</summary>
public sealed partial class DatabaseMigrator(CreditDeskDbContext db, ILogger<DatabaseMigrator> logger)
{
    // Any constant works as long as every node uses the same one: "CDMIGRAT" as ASCII.
    private const long MigrationLockKey = 0x43444D4947524154;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                lockCommand.Parameters.AddWithValue("key", MigrationLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            try
            {
                // Creating the history table first keeps EF from probing a missing table (an error-level log) on a fresh database.
                await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    LogApplying(logger, pending.Count, pending);
                    await db.Database.MigrateAsync(cancellationToken);
                }
            }
            finally
            {
                // Pooled connections are not reset: the lock must not go back to the pool with one.
                await SessionState.ClearAsync(connection, "SELECT pg_advisory_unlock(@key)",
                    parameters => parameters.AddWithValue("key", MigrationLockKey));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, IReadOnlyList<string> migrations);
}
