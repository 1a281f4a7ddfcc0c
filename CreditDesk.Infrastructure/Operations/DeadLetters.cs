using CreditDesk.Infrastructure.Processing;
using Npgsql;

namespace CreditDesk.Infrastructure.Operations;

/// <summary>Admins act on dead letters: retry (assess the application again, now) or ignore (leave it to an officer).</summary>
public sealed class DeadLetters(NpgsqlDataSource dataSource, ApplicationProcessor processor)
{
    /// <summary>Re-runs the assessment; a failure re-opens the dead letter with the new error. Returns what happened, for people.</summary>
    public async Task<ScreenText> RetryAsync(long deadLetterId, string adminId, CancellationToken cancellationToken)
    {
        if (await ResolveAsync(deadLetterId, "retried", cancellationToken) is not { } applicationId)
        {
            return new ScreenText("Ops.Retry.AlreadyHandled");
        }
        try
        {
            return await processor.ReassessAsync(applicationId, adminId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await using var reopen = dataSource.CreateCommand(
                "UPDATE dead_letters SET resolved_at = NULL, resolution = NULL, error = @error, failed_at = now() WHERE id = @id");
            reopen.Parameters.AddWithValue("id", deadLetterId);
            reopen.Parameters.AddWithValue("error", $"{exception.GetType().Name}: {exception.Message}");
            await reopen.ExecuteNonQueryAsync(CancellationToken.None);
            return new ScreenText("Ops.Retry.FailedAgain", exception.GetType().Name);
        }
    }

    public async Task<bool> IgnoreAsync(long deadLetterId, CancellationToken cancellationToken) =>
        await ResolveAsync(deadLetterId, "ignored", cancellationToken) is not null;

    private async Task<Guid?> ResolveAsync(long deadLetterId, string resolution, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE dead_letters SET resolved_at = now(), resolution = @resolution WHERE id = @id AND resolved_at IS NULL RETURNING application_id");
        command.Parameters.AddWithValue("id", deadLetterId);
        command.Parameters.AddWithValue("resolution", resolution);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }
}
