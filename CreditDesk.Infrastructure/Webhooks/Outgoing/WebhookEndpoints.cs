using CreditDesk.Infrastructure.Pii;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Webhooks.Outgoing;

/// <summary>The events an endpoint can subscribe to (the trigger on <c>application_audit</c> writes them).</summary>
public static class WebhookEventTypes
{
    public const string Submitted = "application.submitted";
    public const string Decided = "application.decided";
    public const string StatusChanged = "application.status_changed";
    public const string Disbursed = "application.disbursed";

    public static IReadOnlyList<string> All { get; } = [Submitted, Decided, StatusChanged, Disbursed];
}

public sealed record WebhookEndpoint(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, int MaxConcurrency, DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt, string? DisabledReason, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt)
{
    public bool Enabled => DisabledAt is null;
}

/// <summary>A message's way to one endpoint, as the delivery log shows it.</summary>
public sealed record WebhookDelivery(
    long Id, string MessageId, string EventType, Guid ApplicationId, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastStatusCode, int? LastLatencyMs, string? LastError, DateTimeOffset? LastAttemptAt);

public sealed record WebhookAttempt(long Id, DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error, bool Manual);

/// <summary>One thing wrong with a registration: its field, a code a screen translates, and the API's English.</summary>
public sealed record EndpointProblem(string Field, string Code, string Message);

public enum RedeliveryOutcome
{
    Queued,
    NotFound,
    InFlight,
}

/// <summary>
/// Partners' endpoints (admins register, disable, rotate, delete) and their delivery logs. Secrets are stored encrypted
/// with the PII key and shown only in the answer that created them; after a rotation the previous one keeps signing
/// (a second signature) for <see cref="OutgoingWebhookOptions.RotationOverlap"/>.
/// </summary>
public sealed class WebhookEndpoints(
    NpgsqlDataSource dataSource, PiiCipher cipher, WebhookTargets targets, TimeProvider clock, IOptions<OutgoingWebhookOptions> options)
{
    public const string Delivered = "delivered";
    public const string Pending = "pending";
    public const string Failed = "failed";
    public const int MaxLogPage = 200;

    private const string Columns =
        "id, url, description, event_types, max_concurrency, created_at, disabled_at, disabled_reason, failing_since, " +
        "CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END";

    /// <summary>The rules of a registration, for the API's validator and the screen alike; empty when it can be registered.</summary>
    public async Task<IReadOnlyList<EndpointProblem>> CheckAsync(string? url, IReadOnlyList<string>? eventTypes, int? maxConcurrency, CancellationToken cancellationToken)
    {
        var problems = new List<EndpointProblem>();
        if (await targets.RefuseAsync(url?.Trim(), cancellationToken) is { } refusal)
        {
            problems.Add(new("url", refusal.ToString(), WebhookTargets.Describe(refusal)));
        }
        if (eventTypes is not { Count: > 0 } || !eventTypes.All(type => WebhookEventTypes.All.Contains(type)))
        {
            problems.Add(new("event_types", "no_known_events", $"event_types lists one or more of {string.Join(", ", WebhookEventTypes.All)}."));
        }
        if (maxConcurrency is < 1 or > OutgoingWebhookOptions.MaxEndpointConcurrency)
        {
            problems.Add(new("max_concurrency", "out_of_range", $"max_concurrency is between 1 and {OutgoingWebhookOptions.MaxEndpointConcurrency}."));
        }
        return problems;
    }

    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(
        string url, string? description, IReadOnlyList<string> eventTypes, int? maxConcurrency, string createdBy, CancellationToken cancellationToken)
    {
        var secret = StandardWebhooks.NewSecret();
        var encrypted = cipher.Encrypt(secret);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO webhook_endpoints (id, url, description, event_types, max_concurrency, secret_cipher, pii_key_id, created_at, created_by)
            VALUES (@id, @url, @description, @types, @concurrency, @secret, @key_id, @now, @by)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("url", url);
        command.Parameters.AddWithValue("description", (object?)description ?? DBNull.Value);
        command.Parameters.AddWithValue("types", eventTypes.Distinct().ToArray());
        command.Parameters.AddWithValue("concurrency", maxConcurrency ?? options.Value.DefaultEndpointConcurrency);
        command.Parameters.AddWithValue("secret", encrypted.Data);
        command.Parameters.AddWithValue("key_id", encrypted.KeyId);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("by", createdBy);
        return ((await ReadAllAsync(command, Read, cancellationToken))[0], secret);
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_endpoints ORDER BY created_at, id");
        return await ReadAllAsync(command, Read, cancellationToken);
    }

    public async Task<WebhookEndpoint?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_endpoints WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return (await ReadAllAsync(command, Read, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Disables (by an admin) or enables an endpoint; enabling forgets its failures. Null when there is no such endpoint.</summary>
    public async Task<WebhookEndpoint?> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(enabled
            ? $"UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE id = @id RETURNING {Columns}"
            : $"UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, @now), disabled_reason = coalesce(disabled_reason, 'admin') WHERE id = @id RETURNING {Columns}");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return (await ReadAllAsync(command, Read, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// A new secret (returned once); the current one keeps signing beside it for the rotation overlap. Both are written
    /// under the active PII key, so the row keeps one key id.
    /// </summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)?> RotateSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string current;
        await using (var read = new NpgsqlCommand("SELECT pii_key_id, secret_cipher FROM webhook_endpoints WHERE id = @id FOR UPDATE", connection, transaction))
        {
            read.Parameters.AddWithValue("id", id);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            current = cipher.Decrypt(reader.GetString(0), reader.GetFieldValue<byte[]>(1));
        }
        var secret = StandardWebhooks.NewSecret();
        await using var command = new NpgsqlCommand($"""
            UPDATE webhook_endpoints
               SET previous_secret_cipher = @previous, previous_secret_expires_at = @until, secret_cipher = @secret, pii_key_id = @key_id
             WHERE id = @id
            RETURNING {Columns}
            """, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("previous", cipher.Encrypt(current).Data);
        command.Parameters.AddWithValue("secret", cipher.Encrypt(secret).Data);
        command.Parameters.AddWithValue("key_id", cipher.ActiveKeyId);
        command.Parameters.AddWithValue("until", clock.GetUtcNow() + options.Value.RotationOverlap);
        var endpoint = (await ReadAllAsync(command, Read, cancellationToken)).Single();
        await transaction.CommitAsync(cancellationToken);
        return (endpoint, secret);
    }

    /// <summary>Deletes the endpoint with its deliveries and log.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The endpoint's deliveries, newest first, optionally in one state and before a delivery id (the next page).</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Guid endpointId, string? state, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, m.message_id, m.event_type, d.application_id, d.state, d.attempts, d.created_at,
                   CASE WHEN d.state = 'pending' THEN d.next_attempt_at END, d.delivered_at, d.last_status_code, d.last_latency_ms,
                   d.last_error, d.last_attempt_at
              FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
             WHERE d.endpoint_id = @endpoint AND (@state::text IS NULL OR d.state = @state) AND (@before::bigint IS NULL OR d.id < @before)
             ORDER BY d.id DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("endpoint", endpointId);
        command.Parameters.AddWithValue("state", NpgsqlTypes.NpgsqlDbType.Text, (object?)state ?? DBNull.Value);
        command.Parameters.AddWithValue("before", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)before ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", Math.Clamp(limit, 1, MaxLogPage));
        return await ReadAllAsync(command, reader => new WebhookDelivery(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4), reader.GetInt32(5),
            reader.GetFieldValue<DateTimeOffset>(6), NullableTime(reader, 7), NullableTime(reader, 8),
            reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetInt32(10),
            reader.IsDBNull(11) ? null : reader.GetString(11), NullableTime(reader, 12)), cancellationToken);
    }

    /// <summary>Every attempt of one delivery, oldest first; null when the delivery is not the endpoint's.</summary>
    public async Task<IReadOnlyList<WebhookAttempt>?> AttemptsAsync(Guid endpointId, long deliveryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.id, a.attempted_at, a.status_code, a.latency_ms, a.error, a.manual
              FROM webhook_deliveries d LEFT JOIN webhook_attempts a ON a.delivery_id = d.id
             WHERE d.id = @delivery AND d.endpoint_id = @endpoint
             ORDER BY a.id
            """);
        command.Parameters.AddWithValue("endpoint", endpointId);
        command.Parameters.AddWithValue("delivery", deliveryId);
        var rows = await ReadAllAsync(command, reader => reader.IsDBNull(0) ? null : new WebhookAttempt(
            reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
            reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5)), cancellationToken);
        return rows.Count == 0 ? null : rows.OfType<WebhookAttempt>().ToList();
    }

    /// <summary>
    /// Sends a delivery again (delivered or failed ones too): due now, with a fresh retry window. Not while an attempt is
    /// in flight. The message and its <c>webhook-id</c> stay the same.
    /// </summary>
    public async Task<RedeliveryOutcome> RedeliverAsync(Guid endpointId, long deliveryId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH target AS (
                SELECT d.id, d.claimed_until > now() AS in_flight
                  FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
                 WHERE d.id = @delivery AND d.endpoint_id = @endpoint
                   FOR UPDATE OF d FOR KEY SHARE OF m),
            queued AS (
                UPDATE webhook_deliveries d SET state = 'pending', next_attempt_at = now(), retry_from = now(), manual = true,
                       claimed_by = NULL, claimed_until = NULL
                  FROM target t WHERE d.id = t.id AND t.in_flight IS NOT TRUE
                RETURNING d.id)
            SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM queued)
            """);
        command.Parameters.AddWithValue("endpoint", endpointId);
        command.Parameters.AddWithValue("delivery", deliveryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0) == 0 ? RedeliveryOutcome.NotFound : reader.GetInt64(1) == 1 ? RedeliveryOutcome.Queued : RedeliveryOutcome.InFlight;
    }

    /// <summary>The log is swept by <see cref="WebhookLogSweepJob"/> in batches of this many events.</summary>
    public const int SweepBatch = 2_000;

    /// <summary>
    /// Deletes events (with their deliveries and attempts) older than the retention whose deliveries are all finished and
    /// were not sent again by hand within it; returns how many. A re-delivery holds its event (KEY SHARE), so the sweep
    /// skips an event being re-sent, and a re-delivery waits for a sweep already deleting it (then finds nothing).
    /// </summary>
    public async Task<long> SweepLogAsync(CancellationToken cancellationToken)
    {
        long swept = 0;
        var cutoff = clock.GetUtcNow() - options.Value.LogRetention;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM webhook_messages WHERE id IN (
                    SELECT m.id FROM webhook_messages m
                     WHERE m.occurred_at < @cutoff
                       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id AND (d.state = 'pending' OR d.retry_from >= @cutoff))
                     ORDER BY m.id LIMIT @batch FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.AddWithValue("cutoff", cutoff);
            command.Parameters.AddWithValue("batch", SweepBatch);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            swept += deleted;
            if (deleted < SweepBatch)
            {
                return swept;
            }
        }
    }

    private static WebhookEndpoint Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<string[]>(3),
        reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5), NullableTime(reader, 6), reader.IsDBNull(7) ? null : reader.GetString(7),
        NullableTime(reader, 8), NullableTime(reader, 9));

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
