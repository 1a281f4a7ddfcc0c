using CreditDesk.Infrastructure.Persistence;

namespace CreditDesk.Web;

/// <summary>
/// Brings the schema up to date at start-up without blocking the host: while the database is unreachable the app
/// stays live (and not ready) and keeps trying.
/// </summary>
public sealed partial class DatabaseMigrationService(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<DatabaseMigrationService> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Database:MigrateOnStartup", true))
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(stoppingToken);
                LogSchemaCurrent(logger);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogMigrationFailed(logger, exception, RetryDelay);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current")]
    private static partial void LogSchemaCurrent(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database migration failed; retrying in {Delay}")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception, TimeSpan delay);
}
