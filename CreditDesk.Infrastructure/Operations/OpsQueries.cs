using Npgsql;

namespace CreditDesk.Infrastructure.Operations;

public sealed record QueueState(long Due, long Waiting, TimeSpan? OldestDueAge);

public sealed record DecisionBucket(DateTime Minute, string Status, long Count);

/// <summary>Submit-to-decision latency over the window, and minute by minute (for the chart).</summary>
public sealed record LatencySummary(double? P50Milliseconds, double? P95Milliseconds, long Decided)
{
    public IReadOnlyList<LatencyBucket> PerMinute { get; init; } = [];
}

public sealed record LatencyBucket(DateTime Minute, double P50Milliseconds, double P95Milliseconds);

public sealed record DeadLetterView(long Id, Guid ApplicationId, int Attempts, string Error, DateTimeOffset FailedAt);

public sealed record WebhookFailureView(string EventId, string EventType, Guid? ApplicationId, string? Error, DateTimeOffset ReceivedAt);

/// <summary>What the people running CreditDesk look at: the queue, the decision rate, latency, dead letters, webhook failures.</summary>
public sealed class OpsQueries(NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Outbox rows due now (the queue depth), rows waiting for a retry later, and how long the oldest due row has waited.</summary>
    public async Task<QueueState> QueueAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE available_at <= now()),
                   count(*) FILTER (WHERE available_at > now()),
                   extract(epoch FROM now() - min(available_at) FILTER (WHERE available_at <= now()))
              FROM application_outbox
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueState(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : TimeSpan.FromSeconds((double)reader.GetDecimal(2)));
    }

    /// <summary>Decisions per minute and status over the window (ix_application_audit_decisions; tests read its plan).</summary>
    internal const string DecisionsSql = """
        SELECT date_trunc('minute', occurred_at), to_status, count(*)
          FROM application_audit
         WHERE from_status = 'VALIDATING' AND occurred_at > now() - @window
         GROUP BY 1, 2 ORDER BY 1
        """;

    /// <summary>The latest refused webhooks (ix_webhook_events_rejected).</summary>
    internal const string WebhookFailuresSql =
        "SELECT event_id, event_type, application_id, error, received_at FROM webhook_events WHERE outcome = 'rejected' ORDER BY received_at DESC LIMIT 20";

    public async Task<IReadOnlyList<DecisionBucket>> DecisionsPerMinuteAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DecisionsSql);
        command.Parameters.AddWithValue("window", Window);
        var buckets = new List<DecisionBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new DecisionBucket(reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime, reader.GetString(1), reader.GetInt64(2)));
        }
        return buckets;
    }

    /// <summary>
    /// Submit-to-decision latency from the decisions' audit rows (ix_application_audit_decisions) and their applications
    /// by key: no index on credit_applications for it, so deciding costs no extra index write.
    /// </summary>
    internal const string LatencySql = """
        SELECT date_trunc('minute', d.occurred_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - a.created_at)),
               percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM d.occurred_at - a.created_at)),
               count(*)
          FROM application_audit d JOIN credit_applications a ON a.id = d.application_id
         WHERE d.from_status = 'VALIDATING' AND d.occurred_at > now() - @window
         GROUP BY GROUPING SETS ((), (date_trunc('minute', d.occurred_at)))
         ORDER BY 1 NULLS FIRST
        """;

    /// <summary>Submit-to-decision latency over the window and per minute, in one scan (grouping sets: the whole window and each minute).</summary>
    public async Task<LatencySummary> LatencyAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LatencySql);
        command.Parameters.AddWithValue("window", Window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var summary = new LatencySummary(null, null, 0);
        var perMinute = new List<LatencyBucket>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(0))
            {
                summary = new LatencySummary(reader.IsDBNull(1) ? null : reader.GetDouble(1) * 1000, reader.IsDBNull(2) ? null : reader.GetDouble(2) * 1000, reader.GetInt64(3));
            }
            else
            {
                perMinute.Add(new LatencyBucket(reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime, reader.GetDouble(1) * 1000, reader.GetDouble(2) * 1000));
            }
        }
        return summary with { PerMinute = perMinute };
    }

    public async Task<IReadOnlyList<DeadLetterView>> OpenDeadLettersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, application_id, attempts, error, failed_at FROM dead_letters WHERE resolved_at IS NULL ORDER BY failed_at DESC LIMIT 100");
        var letters = new List<DeadLetterView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetterView(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return letters;
    }

    public async Task<IReadOnlyList<WebhookFailureView>> RecentWebhookFailuresAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WebhookFailuresSql);
        var failures = new List<WebhookFailureView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failures.Add(new WebhookFailureView(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return failures;
    }
}
