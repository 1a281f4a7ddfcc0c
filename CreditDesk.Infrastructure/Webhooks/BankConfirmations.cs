using System.Collections.Concurrent;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

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

    /// <summary>The application kept changing while the event was judged: nothing is recorded, so a retry is judged afresh.</summary>
    public sealed record Busy : WebhookOutcome;
}

/// <summary>
/// Applies bank confirmations exactly once: the event row (its id unique per bank) and its effect are written in one
/// statement, so of many concurrent deliveries one applies and the rest see a duplicate. A bank acts only on
/// applications disbursed through it.
/// </summary>
public sealed partial class BankConfirmations(NpgsqlDataSource dataSource, LiveEvents live, TimeProvider clock, ILogger<BankConfirmations> logger)
{
    /// <summary>Groups committing at once, as the drain's decisions (<see cref="Processing.ProcessingOptions.DecisionWriters"/>).</summary>
    private const int Writers = 2;

    private readonly GroupCommit groups = new(dataSource, Writers, "webhook.write", CreditDeskTelemetry.WebhookBatchSize, logger);

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
            WebhookOutcome.Busy => "busy",
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
    /// What a delivery is judged on, read without a transaction: its application, and the same event delivered before
    /// (answered from that record, writing nothing).
    /// </summary>
    private const string ReadFacts = """
        SELECT a.status, a.requested_amount, a.currency, a.bank_id, p.body_hash, p.outcome, p.error
          FROM (VALUES (1)) AS one (x)
          LEFT JOIN credit_applications a ON a.id = @application
          LEFT JOIN webhook_events p ON p.bank_id = @bank AND p.event_id = @event
        """;

    /// <summary>
    /// Records a judged delivery, and its move if any, in one statement committed in a group with others
    /// (<see cref="GroupCommit"/>): only if the application is still what it was judged on (<c>gate</c>; a move locks
    /// the row), and only once per event (its id is unique per bank). Returns whether the gate held, the event row
    /// recorded (none when the event was recorded meanwhile) and the move made.
    /// </summary>
    private static string RecordJudged(bool moves) => $"""
        WITH gate AS (
            SELECT CASE WHEN @known
                        THEN EXISTS (SELECT 1 FROM credit_applications
                                      WHERE id = @application AND status = @status AND requested_amount = @application_amount
                                        AND currency = @application_currency AND bank_id IS NOT DISTINCT FROM @application_bank{(moves ? " FOR UPDATE" : "")})
                        ELSE NOT EXISTS (SELECT 1 FROM credit_applications WHERE id = @application) END AS holds),
        inserted AS (
            INSERT INTO webhook_events (bank_id, event_id, body_hash, event_type, application_id, outcome, status_code, error, received_at)
            SELECT @bank, @event, @hash, @type, @application, @outcome, @code, @error, @now FROM gate WHERE holds
            ON CONFLICT (bank_id, event_id) DO NOTHING RETURNING id, application_id){(moves ? "," : "")}
        {(moves ? StatusWrites.MoveAndAudit("SELECT application_id FROM inserted", "@status", "@to", "'bank'", "'bank'", "@reason", "@now") : "")}
        SELECT g.holds, i.id{(moves ? ", " + StatusWrites.MovedColumns : "")}
          FROM gate g
          LEFT JOIN inserted i ON true{(moves ? "\n  LEFT JOIN moved m ON true" : "")}
        """;

    private static readonly string RecordJudgedMove = RecordJudged(moves: true);
    private static readonly string RecordJudgedOnly = RecordJudged(moves: false);

    /// <summary>How often a delivery is judged when its application keeps changing between reading and recording (tests lower it).</summary>
    internal int Attempts { get; init; } = 10;

    /// <summary>
    /// A delivery in two round trips: its facts are read (no transaction), judged here, and the outcome is recorded in a
    /// group commit, gated on those facts still holding (if the application changed meanwhile, it is judged again).
    /// Once handed to the group, a delivery is seen through whatever its request does, so a committed move is always
    /// published to live screens.
    /// </summary>
    private async Task<WebhookOutcome> HandleCoreAsync(BankEvent bankEvent, Guid bankId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (application, previous) = await ReadFactsAsync(bankEvent, bankId, cancellationToken);
            if (previous is not null)
            {
                return PreviousOutcome(previous, bodyHash);
            }
            var (outcome, move) = Judge(bankEvent, bankId, application);
            if (outcome is WebhookOutcome.NotThisBanks)
            {
                return outcome;
            }
            var recorded = await groups.WriteAsync(move is null ? RecordJudgedOnly : RecordJudgedMove,
                parameters => AddJudged(parameters, bankEvent, bankId, bodyHash, application, outcome, move),
                reader => ReadRecordedAsync(reader, move), bankEvent.ApplicationId, CancellationToken.None);
            if (recorded.Recorded)
            {
                live.Committed(recorded.Moved);
                return outcome;
            }
            // Not recorded: either the application changed (judged again) or another delivery of the same event was
            // recorded since the facts were read (the next read finds it and answers from it).
            if (!recorded.GateHeld && attempt >= Attempts)
            {
                LogBusy(logger, bankEvent.ApplicationId, Attempts);
                return new WebhookOutcome.Busy();
            }
        }
    }

    private void AddJudged(NpgsqlParameterCollection parameters, BankEvent bankEvent, Guid bankId, byte[] bodyHash,
        ApplicationRow? application, WebhookOutcome outcome, Move? move)
    {
        parameters.AddWithValue("bank", bankId);
        parameters.AddWithValue("event", bankEvent.EventId);
        parameters.AddWithValue("hash", bodyHash);
        parameters.AddWithValue("type", bankEvent.EventType);
        parameters.AddWithValue("application", bankEvent.ApplicationId);
        parameters.AddWithValue("now", clock.GetUtcNow());
        parameters.AddWithValue("known", application is not null);
        parameters.AddWithValue("status", NpgsqlDbType.Text, (object?)application?.Status ?? DBNull.Value);
        parameters.AddWithValue("application_amount", NpgsqlDbType.Numeric, (object?)application?.Amount ?? DBNull.Value);
        parameters.AddWithValue("application_currency", NpgsqlDbType.Text, (object?)application?.Currency ?? DBNull.Value);
        parameters.AddWithValue("application_bank", NpgsqlDbType.Uuid, (object?)application?.BankId ?? DBNull.Value);
        parameters.AddWithValue("outcome", outcome is WebhookOutcome.Rejected ? Rejected : Processed);
        parameters.AddWithValue("code", outcome is WebhookOutcome.Rejected ? 422 : 200);
        parameters.AddWithValue("error", NpgsqlDbType.Text, outcome is WebhookOutcome.Rejected rejected ? $"{rejected.Code}: {rejected.Detail}" : DBNull.Value);
        if (move is not null)
        {
            parameters.AddWithValue("to", move.To.ToCode());
            parameters.AddWithValue("reason", move.Reason);
        }
    }

    private sealed record Recording(bool GateHeld, bool Recorded, ApplicationChanged? Moved);

    private static async Task<Recording> ReadRecordedAsync(NpgsqlDataReader reader, Move? move)
    {
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("The webhook statement returned no row.");
        }
        var moved = move is not null && !reader.IsDBNull(2) ? StatusWrites.Moved(reader, move.From.ToCode(), move.To.ToCode(), offset: 2) : null;
        return new Recording(reader.GetBoolean(0), !reader.IsDBNull(1), moved);
    }

    private async Task<(ApplicationRow? Application, PreviousDelivery? Previous)> ReadFactsAsync(
        BankEvent bankEvent, Guid bankId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadFacts);
        command.Parameters.AddWithValue("bank", bankId);
        command.Parameters.AddWithValue("event", bankEvent.EventId);
        command.Parameters.AddWithValue("application", bankEvent.ApplicationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The webhook statement returned no row.");
        }
        var application = reader.IsDBNull(0) ? null
            : new ApplicationRow(reader.GetString(0), reader.GetDecimal(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3));
        var previous = reader.IsDBNull(4) ? null
            : new PreviousDelivery(reader.GetFieldValue<byte[]>(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        return (application, previous);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Application {ApplicationId} changed each of the {Attempts} times a bank event was judged; answered busy")]
    private static partial void LogBusy(ILogger logger, Guid applicationId, int attempts);
}
