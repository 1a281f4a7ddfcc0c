using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Claims due outbox rows in batches (<c>FOR UPDATE SKIP LOCKED</c>, with a lease so a crashed node's rows return to
/// the pool), processes them with bounded concurrency, and keeps going until the outbox has nothing due.
/// </summary>
public sealed partial class OutboxDrain(
    NpgsqlDataSource dataSource,
    ApplicationProcessor processor,
    ProcessingWakeup wakeup,
    LiveEvents live,
    NodeIdentity node,
    IOptions<ProcessingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<OutboxDrain> logger)
{
    private static readonly string Pending = ApplicationStatus.Pending.ToCode();
    private static readonly string Validating = ApplicationStatus.Validating.ToCode();

    public async Task RunAsync(CancellationToken jobCancellation)
    {
        if (!wakeup.TryBeginDrain())
        {
            return;
        }
        // Quartz does not cancel a running job when it shuts down and waits for jobs: stop with the host instead, so a
        // long backlog never holds shutdown (unfinished rows keep their lease and are taken over later).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(jobCancellation, lifetime.ApplicationStopping);
        var cancellationToken = stopping.Token;
        try
        {
            do
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var batch = await ClaimAsync(cancellationToken);
                    if (batch.Count == 0)
                    {
                        break;
                    }
                    await Parallel.ForEachAsync(batch,
                        new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = cancellationToken },
                        async (item, token) => await ProcessAsync(item, token));
                }
            }
            while (wakeup.TakeRequest() && !cancellationToken.IsCancellationRequested);
        }
        finally
        {
            wakeup.EndDrain();
        }
    }

    /// <summary>
    /// One statement claims a batch of due rows (skipping rows other nodes hold), moves their PENDING applications to
    /// VALIDATING with an audit row each, and returns what processing needs: one round trip and one commit per batch.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedApplication>> ClaimAsync(CancellationToken cancellationToken)
    {
        var sql = $"""
            WITH due AS (
                SELECT id FROM application_outbox
                 WHERE available_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                 ORDER BY available_at, id
                 LIMIT @batch
                 FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE application_outbox o
                   SET claimed_by = @node, claimed_until = now() + @lease, attempts = o.attempts + 1
                  FROM due WHERE o.id = due.id
                RETURNING o.id, o.application_id, o.attempts, o.trace_parent),
            {StatusWrites.MoveAndAudit("SELECT application_id FROM claimed", $"'{Pending}'", $"'{Validating}'", "'system'", "@node", "'Processing started'", "now()")}
            SELECT c.id, c.application_id, c.attempts, c.trace_parent,
                   a.status, a.country, a.requested_amount, a.monthly_income, a.term_months, a.document_cipher, a.pii_key_id, a.product_version, a.created_at,
                   {StatusWrites.MovedColumns}
              FROM claimed c JOIN credit_applications a ON a.id = c.application_id
              LEFT JOIN moved m ON m.id = c.application_id
            """;
        using var activity = CreditDeskTelemetry.Source.StartActivity("outbox.claim");
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("node", node.Id);
        command.Parameters.AddWithValue("lease", options.Value.Lease);
        command.Parameters.AddWithValue("batch", options.Value.BatchSize);
        var claimed = new List<ClaimedApplication>();
        var moved = new List<ApplicationChanged>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedApplication(
                    new OutboxItem(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)),
                    reader.GetString(4),
                    reader.GetString(5),
                    new LoanRequest(reader.GetDecimal(6), reader.GetDecimal(7), reader.GetInt32(8)),
                    reader.GetFieldValue<byte[]>(9),
                    reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.GetFieldValue<DateTimeOffset>(12)));
                if (!reader.IsDBNull(13))
                {
                    moved.Add(StatusWrites.Moved(reader, Pending, Validating, offset: 13));
                }
            }
        }
        // Published once the statement has committed (the reader is disposed: a connector reuses its reader, so it is disposed once), never before.
        foreach (var change in moved)
        {
            live.Committed(change);
        }
        activity?.SetTag("creditdesk.claimed", claimed.Count);
        return claimed;
    }

    private async Task ProcessAsync(ClaimedApplication claimed, CancellationToken cancellationToken)
    {
        var item = claimed.Item;
        try
        {
            await processor.ProcessAsync(claimed, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease expires and another node (or this one, restarted) takes the row over.
        }
        catch (Exception exception)
        {
            var error = $"{exception.GetType().Name}: {exception.Message}";
            LogProcessingFailed(logger, exception, item.ApplicationId, item.Attempt);
            try
            {
                if (item.Attempt >= options.Value.MaxAttempts)
                {
                    await processor.DeadLetterAsync(item, error, CancellationToken.None);
                }
                else
                {
                    await RetryLaterAsync(item, error, CancellationToken.None);
                }
            }
            catch (Exception bookkeeping)
            {
                // The lease will expire and the row will be claimed again; nothing is lost.
                LogBookkeepingFailed(logger, bookkeeping, item.ApplicationId);
            }
        }
    }

    private async Task RetryLaterAsync(OutboxItem item, string error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var delay = TimeSpan.FromTicks(Math.Min(settings.RetryBaseDelay.Ticks * (1L << Math.Min(item.Attempt - 1, 20)), settings.MaxRetryDelay.Ticks));
        await using var command = dataSource.CreateCommand("""
            UPDATE application_outbox
               SET claimed_by = NULL, claimed_until = NULL, available_at = now() + @delay, last_error = @error
             WHERE id = @id AND claimed_by = @node
            """);
        command.Parameters.AddWithValue("delay", delay);
        command.Parameters.AddWithValue("error", error);
        command.Parameters.AddWithValue("id", item.Id);
        command.Parameters.AddWithValue("node", node.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing application {ApplicationId} failed on attempt {Attempt}")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, Guid applicationId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the failure of application {ApplicationId}; its lease will expire")]
    private static partial void LogBookkeepingFailed(ILogger logger, Exception exception, Guid applicationId);
}
