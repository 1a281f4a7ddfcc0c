using System.Collections.Concurrent;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Telemetry;
using Npgsql;

namespace CreditDesk.Infrastructure.Webhooks;

/// <summary>A bank's confirmation, as parsed from the webhook body.</summary>
public sealed record BankEvent(
    string EventId, string EventType, Guid ApplicationId, string ProviderReference, decimal Amount, string Currency, DateTimeOffset OccurredAt)
{
    public const string AccountVerified = "account.verified";
    public const string DisbursementCompleted = "disbursement.completed";
    public const string DisbursementFailed = "disbursement.failed";

    public static IReadOnlyList<string> Types { get; } = [AccountVerified, DisbursementCompleted, DisbursementFailed];
}

public abstract record WebhookOutcome
{
    public sealed record Processed : WebhookOutcome;

    /// <summary>The same event (same id, same body) was delivered before: no second effect.</summary>
    public sealed record Duplicate : WebhookOutcome;

    /// <summary>The event id was used before with another body.</summary>
    public sealed record ReusedEventId : WebhookOutcome;

    /// <summary>Understood but not applicable (unknown application, wrong amount, invalid transition); recorded, same answer on retry.</summary>
    public sealed record Rejected(string Code, string Detail) : WebhookOutcome;

    /// <summary>The application is not disbursed through the signing bank: nothing is recorded, so a retry after it is given to that bank applies.</summary>
    public sealed record NotThisBanks : WebhookOutcome;
}

/// <summary>
/// Applies bank confirmations exactly once: the event row (its id unique per bank) and its effect are written in one
/// transaction, so of many concurrent deliveries one applies and the rest see a duplicate. A bank acts only on
/// applications disbursed through it.
/// </summary>
public sealed class BankConfirmations(NpgsqlDataSource dataSource, LiveEvents live, TimeProvider clock)
{
    private const string Processed = "processed";
    private const string Rejected = "rejected";

    /// <summary>Deliveries being handled on this node, by bank and event id: a retry of the same bytes waits for the first.</summary>
    private readonly ConcurrentDictionary<(Guid BankId, string EventId), InFlight> inFlight = new();

    public async Task<WebhookOutcome> HandleAsync(BankEvent bankEvent, Guid bankId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        using var activity = CreditDeskTelemetry.Source.StartActivity("webhook.handle");
        activity?.SetTag("creditdesk.event_type", bankEvent.EventType);
        activity?.SetTag("creditdesk.application_id", bankEvent.ApplicationId);
        var outcome = await CoalescedAsync(bankEvent, bankId, bodyHash, cancellationToken);
        var name = outcome switch
        {
            WebhookOutcome.Processed => "processed",
            WebhookOutcome.Duplicate => "duplicate",
            WebhookOutcome.ReusedEventId => "reused_event_id",
            WebhookOutcome.NotThisBanks => "not_this_banks",
            _ => "rejected",
        };
        activity?.SetTag("creditdesk.outcome", name);
        CreditDeskTelemetry.WebhookOutcomes.Add(1, new KeyValuePair<string, object?>("outcome", name));
        return outcome;
    }

    private sealed class InFlight(byte[] bodyHash)
    {
        public byte[] BodyHash { get; } = bodyHash;

        /// <summary>The first delivery's outcome, or null when it failed (then each waiting repeat handles itself).</summary>
        public TaskCompletionSource<WebhookOutcome?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// A bank that retries before its first delivery was answered sends the same bytes again while they are being handled:
    /// the repeat waits for that outcome on this node instead of queueing on the event's row lock in PostgreSQL and reading
    /// the outcome back after it (B5: three round trips per concurrent repeat). The database stays the judge across nodes
    /// and for anything not in flight here; another body under the same id is not coalesced (it gets its 409 there).
    /// </summary>
    private async Task<WebhookOutcome> CoalescedAsync(BankEvent bankEvent, Guid bankId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        var key = (bankId, bankEvent.EventId);
        var mine = new InFlight(bodyHash);
        var first = inFlight.GetOrAdd(key, mine);
        if (!ReferenceEquals(first, mine))
        {
            if (first.BodyHash.AsSpan().SequenceEqual(bodyHash) && await first.Done.Task.WaitAsync(cancellationToken) is { } theirs)
            {
                return AsRepeat(theirs);
            }
            return await HandleCoreAsync(bankEvent, bankId, bodyHash, cancellationToken);
        }
        try
        {
            var outcome = await HandleCoreAsync(bankEvent, bankId, bodyHash, cancellationToken);
            mine.Done.SetResult(outcome);
            return outcome;
        }
        catch
        {
            mine.Done.SetResult(null);
            throw;
        }
        finally
        {
            inFlight.TryRemove(KeyValuePair.Create(key, mine));
        }
    }

    /// <summary>What a repeat of a delivery answers, given the first's outcome: what <see cref="PreviousOutcome"/> would read back.</summary>
    private static WebhookOutcome AsRepeat(WebhookOutcome first) => first is WebhookOutcome.Processed ? new WebhookOutcome.Duplicate() : first;

    /// <summary>
    /// Records the event and reads its application in one statement, locking the application when the event may move it
    /// (an <c>account.verified</c> only reads: the lock would queue every event of an application behind each other). A
    /// delivery seen before inserts nothing and reads the earlier outcome in the same statement, as long as that delivery
    /// had committed when the statement began.
    /// </summary>
    private static string RecordAndRead(bool lockApplication) => $"""
        WITH inserted AS (
            INSERT INTO webhook_events (bank_id, event_id, body_hash, event_type, application_id, outcome, status_code, received_at)
            VALUES (@bank, @event, @hash, @type, @application, 'processing', 0, @now)
            ON CONFLICT (bank_id, event_id) DO NOTHING RETURNING id)
        SELECT i.id, a.status, a.requested_amount, a.currency, a.bank_id, p.body_hash, p.outcome, p.error
          FROM (VALUES (1)) AS one (x)
          LEFT JOIN inserted i ON true
          LEFT JOIN LATERAL (
              SELECT status, requested_amount, currency, bank_id FROM credit_applications
               WHERE id = @application AND i.id IS NOT NULL{(lockApplication ? " FOR UPDATE" : "")}) a ON true
          LEFT JOIN LATERAL (
              SELECT body_hash, outcome, error FROM webhook_events
               WHERE bank_id = @bank AND event_id = @event AND i.id IS NULL) p ON true
        """;

    private static readonly string RecordAndLock = RecordAndRead(lockApplication: true);
    private static readonly string RecordAndReadOnly = RecordAndRead(lockApplication: false);

    private const string RecordOutcome = "UPDATE webhook_events SET outcome = @outcome, status_code = @code, error = @error WHERE id = @id";

    /// <summary>
    /// Two round trips for a delivery, new or repeated: <c>BEGIN</c> with <see cref="RecordAndRead"/>, then the outcome with
    /// <c>COMMIT</c> (or a <c>ROLLBACK</c>). The transaction is opened and closed in SQL so that the last write and the
    /// commit travel together (an <see cref="NpgsqlTransaction"/> commits in a round trip of its own).
    /// </summary>
    private async Task<WebhookOutcome> HandleCoreAsync(BankEvent bankEvent, Guid bankId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var (eventRow, application, previous) = await RecordAndReadAsync(connection, bankEvent, bankId, bodyHash, now, cancellationToken);
            if (eventRow is not { } id)
            {
                await ExecuteAsync(connection, cancellationToken, new NpgsqlBatchCommand("ROLLBACK"));
                // Same connection: under a storm of duplicates every request already holds one from the pool.
                return previous is { } seen ? PreviousOutcome(seen, bodyHash)
                    : await PreviousOutcomeAsync(connection, bankId, bankEvent.EventId, bodyHash, cancellationToken);
            }
            var (outcome, move) = Judge(bankEvent, bankId, application);
            if (outcome is WebhookOutcome.NotThisBanks)
            {
                await ExecuteAsync(connection, cancellationToken, new NpgsqlBatchCommand("ROLLBACK"));
                return outcome;
            }
            ApplicationChanged? moved = null;
            if (move is { } target)
            {
                moved = await StatusWrites.MoveAsync(connection, null, bankEvent.ApplicationId, target.From, target.To, Actor.Bank, "bank",
                    target.Reason, now, cancellationToken: cancellationToken);
            }
            var record = new NpgsqlBatchCommand(RecordOutcome);
            record.Parameters.AddWithValue("outcome", outcome is WebhookOutcome.Rejected ? Rejected : Processed);
            record.Parameters.AddWithValue("code", outcome is WebhookOutcome.Rejected ? 422 : 200);
            record.Parameters.AddWithValue("error", outcome is WebhookOutcome.Rejected rejected ? $"{rejected.Code}: {rejected.Detail}" : DBNull.Value);
            record.Parameters.AddWithValue("id", id);
            await ExecuteAsync(connection, cancellationToken, record, new NpgsqlBatchCommand("COMMIT"));
            live.Committed(moved);
            return outcome;
        }
        catch
        {
            // Never hand a connection back to the pool inside the transaction this method opened in SQL.
            await SessionState.ClearAsync(connection, "ROLLBACK");
            throw;
        }
    }

    private static async Task<(long? EventRow, ApplicationRow? Application, PreviousDelivery? Previous)> RecordAndReadAsync(
        NpgsqlConnection connection, BankEvent bankEvent, Guid bankId, byte[] bodyHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var statement = new NpgsqlBatchCommand(Target(bankEvent.EventType) is not null ? RecordAndLock : RecordAndReadOnly);
        statement.Parameters.AddWithValue("bank", bankId);
        statement.Parameters.AddWithValue("event", bankEvent.EventId);
        statement.Parameters.AddWithValue("hash", bodyHash);
        statement.Parameters.AddWithValue("type", bankEvent.EventType);
        statement.Parameters.AddWithValue("application", bankEvent.ApplicationId);
        statement.Parameters.AddWithValue("now", now);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand("BEGIN"), statement } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The webhook statement returned no row.");
        }
        var eventRow = reader.IsDBNull(0) ? (long?)null : reader.GetInt64(0);
        var application = reader.IsDBNull(1) ? null
            : new ApplicationRow(reader.GetString(1), reader.GetDecimal(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetGuid(4));
        var previous = reader.IsDBNull(5) ? null
            : new PreviousDelivery(reader.GetFieldValue<byte[]>(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7));
        return (eventRow, application, previous);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, CancellationToken cancellationToken, params NpgsqlBatchCommand[] commands)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record ApplicationRow(string Status, decimal Amount, string Currency, Guid? BankId);

    private sealed record PreviousDelivery(byte[] BodyHash, string Outcome, string? Error);

    private sealed record Move(ApplicationStatus From, ApplicationStatus To, string Reason);

    /// <summary>The event's effect on its (locked) application: its outcome, and the move to make, if any.</summary>
    private static (WebhookOutcome, Move?) Judge(BankEvent bankEvent, Guid bankId, ApplicationRow? application)
    {
        if (application is null)
        {
            return (new WebhookOutcome.Rejected("unknown_application", $"No application {bankEvent.ApplicationId}."), null);
        }
        if (application.BankId != bankId)
        {
            return (new WebhookOutcome.NotThisBanks(), null);
        }
        if (bankEvent.Amount != application.Amount || !string.Equals(bankEvent.Currency, application.Currency, StringComparison.Ordinal))
        {
            return (new WebhookOutcome.Rejected("amount_mismatch",
                $"The event says {bankEvent.Amount:0.00} {bankEvent.Currency}; the application is for {application.Amount:0.00} {application.Currency}."), null);
        }
        if (Target(bankEvent.EventType) is not { } to)
        {
            return (new WebhookOutcome.Processed(), null);
        }
        if (!ApplicationStatusCodes.TryParse(application.Status, out var from) || !StatusMachine.CanMove(from, to, Actor.Bank))
        {
            return (new WebhookOutcome.Rejected("invalid_transition", $"A {bankEvent.EventType} event cannot move an application in {application.Status}."), null);
        }
        var reason = bankEvent.EventType == BankEvent.DisbursementCompleted
            ? $"Disbursement confirmed by the bank (ref {bankEvent.ProviderReference})"
            : $"Disbursement failed at the bank (ref {bankEvent.ProviderReference})";
        return (new WebhookOutcome.Processed(), new Move(from, to, reason.Length > 500 ? reason[..500] : reason));
    }

    /// <summary>Where an event of this type moves its application, if anywhere.</summary>
    private static ApplicationStatus? Target(string eventType) => eventType switch
    {
        BankEvent.DisbursementCompleted => ApplicationStatus.Disbursed,
        BankEvent.DisbursementFailed => ApplicationStatus.UnderReview,
        _ => null,
    };

    /// <summary>What an earlier delivery of the event answered: the same, unless its body was another.</summary>
    private static WebhookOutcome PreviousOutcome(PreviousDelivery previous, byte[] bodyHash)
    {
        if (!previous.BodyHash.AsSpan().SequenceEqual(bodyHash))
        {
            return new WebhookOutcome.ReusedEventId();
        }
        if (previous.Outcome == Rejected)
        {
            var error = previous.Error ?? "rejected: ";
            var separator = error.IndexOf(": ", StringComparison.Ordinal);
            return separator < 0 ? new WebhookOutcome.Rejected(error, error) : new WebhookOutcome.Rejected(error[..separator], error[(separator + 2)..]);
        }
        return new WebhookOutcome.Duplicate();
    }

    /// <summary>The earlier delivery committed after this one's statement began: read it now.</summary>
    private static async Task<WebhookOutcome> PreviousOutcomeAsync(
        NpgsqlConnection connection, Guid bankId, string eventId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT body_hash, outcome, error FROM webhook_events WHERE bank_id = @bank AND event_id = @event", connection);
        command.Parameters.AddWithValue("bank", bankId);
        command.Parameters.AddWithValue("event", eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Webhook event {eventId} vanished.");
        }
        return PreviousOutcome(new PreviousDelivery(reader.GetFieldValue<byte[]>(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)), bodyHash);
    }
}
