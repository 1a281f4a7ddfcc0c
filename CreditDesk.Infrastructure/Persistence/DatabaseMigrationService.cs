using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// Brings the schema up to date at start-up without blocking the host: while the database is unreachable the app
/// stays live (and not ready) and keeps trying.
/// </summary>
public sealed partial class DatabaseMigrationService(
    IServiceScopeFactory scopes, IConfiguration configuration, SchemaReadiness schema, ILogger<DatabaseMigrationService> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Database:MigrateOnStartup", true))
        {
            schema.MarkReady();
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(stoppingToken);
                LogSchemaCurrent(logger);
                await scope.ServiceProvider.GetRequiredService<Applications.LoanCatalogue>().WarmAsync(stoppingToken);
                schema.MarkReady();
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
