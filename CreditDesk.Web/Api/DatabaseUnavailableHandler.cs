using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace CreditDesk.Web.Api;

/// <summary>
/// A request that fails because PostgreSQL cannot be reached (stopped, failing over, network cut, pool exhausted) is the
/// service being unavailable, not a bug: 503 with Retry-After and a problem body, never a 500. Nothing was written.
/// </summary>
public sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogUnavailable(logger, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "database_unavailable",
                $"The database cannot be reached. Nothing was changed; try again in {RetryAfterSeconds} seconds.")
            .ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>Npgsql's own transient errors (connection refused or cut, timeouts, server shutting down) anywhere in the chain.</summary>
    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({ExceptionType}): answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType);
}
