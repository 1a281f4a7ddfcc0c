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

    public async Task<WebhookOutcome> HandleAsync(BankEvent bankEvent, Guid bankId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        using var activity = CreditDeskTelemetry.Source.StartActivity("webhook.handle");
        activity?.SetTag("creditdesk.event_type", bankEvent.EventType);
        activity?.SetTag("creditdesk.application_id", bankEvent.ApplicationId);
        var outcome = await HandleCoreAsync(bankEvent, bankId, bodyHash, cancellationToken);
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

    private async Task<WebhookOutcome> HandleCoreAsync(BankEvent bankEvent, Guid bankId, byte[] bodyHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        long eventRow;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO webhook_events (bank_id, event_id, body_hash, event_type, application_id, outcome, status_code, received_at)
            VALUES (@bank, @event, @hash, @type, @application, 'processing', 0, @now)
            ON CONFLICT (bank_id, event_id) DO NOTHING RETURNING id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("bank", bankId);
            insert.Parameters.AddWithValue("event", bankEvent.EventId);
            insert.Parameters.AddWithValue("hash", bodyHash);
            insert.Parameters.AddWithValue("type", bankEvent.EventType);
            insert.Parameters.AddWithValue("application", bankEvent.ApplicationId);
            insert.Parameters.AddWithValue("now", now);
            if (await insert.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                await transaction.RollbackAsync(cancellationToken);
                // Same connection: under a storm of duplicates every request already holds one from the pool.
                return await PreviousOutcomeAsync(connection, bankId, bankEvent.EventId, bodyHash, cancellationToken);
            }
            eventRow = id;
        }

        var (outcome, moved) = await ApplyAsync(connection, transaction, bankEvent, bankId, now, cancellationToken);
        if (outcome is WebhookOutcome.NotThisBanks)
        {
            await transaction.RollbackAsync(cancellationToken);
            return outcome;
        }
        await using (var record = new NpgsqlCommand(
            "UPDATE webhook_events SET outcome = @outcome, status_code = @code, error = @error WHERE id = @id", connection, transaction))
        {
            record.Parameters.AddWithValue("outcome", outcome is WebhookOutcome.Rejected ? Rejected : Processed);
            record.Parameters.AddWithValue("code", outcome is WebhookOutcome.Rejected ? 422 : 200);
            record.Parameters.AddWithValue("error", outcome is WebhookOutcome.Rejected rejected ? $"{rejected.Code}: {rejected.Detail}" : DBNull.Value);
            record.Parameters.AddWithValue("id", eventRow);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        live.Committed(moved);
        return outcome;
    }

    /// <summary>The event's effect on its application, and the change it made (null when it moved nothing).</summary>
    private static async Task<(WebhookOutcome, ApplicationChanged?)> ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, BankEvent bankEvent, Guid bankId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string status;
        decimal amount;
        string currency;
        await using (var select = new NpgsqlCommand(
            "SELECT status, requested_amount, currency, bank_id FROM credit_applications WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue("id", bankEvent.ApplicationId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (new WebhookOutcome.Rejected("unknown_application", $"No application {bankEvent.ApplicationId}."), null);
            }
            (status, amount, currency) = (reader.GetString(0), reader.GetDecimal(1), reader.GetString(2));
            if (reader.IsDBNull(3) || reader.GetGuid(3) != bankId)
            {
                return (new WebhookOutcome.NotThisBanks(), null);
            }
        }
        if (bankEvent.Amount != amount || !string.Equals(bankEvent.Currency, currency, StringComparison.Ordinal))
        {
            return (new WebhookOutcome.Rejected("amount_mismatch",
                $"The event says {bankEvent.Amount:0.00} {bankEvent.Currency}; the application is for {amount:0.00} {currency}."), null);
        }
        var target = bankEvent.EventType switch
        {
            BankEvent.DisbursementCompleted => ApplicationStatus.Disbursed,
            BankEvent.DisbursementFailed => ApplicationStatus.UnderReview,
            _ => (ApplicationStatus?)null,
        };
        if (target is not { } to)
        {
            return (new WebhookOutcome.Processed(), null);
        }
        if (!ApplicationStatusCodes.TryParse(status, out var from) || !StatusMachine.CanMove(from, to, Actor.Bank))
        {
            return (new WebhookOutcome.Rejected("invalid_transition", $"A {bankEvent.EventType} event cannot move an application in {status}."), null);
        }
        var reason = bankEvent.EventType == BankEvent.DisbursementCompleted
            ? $"Disbursement confirmed by the bank (ref {bankEvent.ProviderReference})"
            : $"Disbursement failed at the bank (ref {bankEvent.ProviderReference})";
        var moved = await StatusWrites.MoveAsync(connection, transaction, bankEvent.ApplicationId, from, to, Actor.Bank, "bank",
            reason.Length > 500 ? reason[..500] : reason, now, cancellationToken: cancellationToken);
        return (new WebhookOutcome.Processed(), moved);
    }

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
        if (!reader.GetFieldValue<byte[]>(0).AsSpan().SequenceEqual(bodyHash))
        {
            return new WebhookOutcome.ReusedEventId();
        }
        if (reader.GetString(1) == Rejected)
        {
            var error = reader.IsDBNull(2) ? "rejected: " : reader.GetString(2);
            var separator = error.IndexOf(": ", StringComparison.Ordinal);
            return separator < 0 ? new WebhookOutcome.Rejected(error, error) : new WebhookOutcome.Rejected(error[..separator], error[(separator + 2)..]);
        }
        return new WebhookOutcome.Duplicate();
    }
}
