using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Pii;
using Npgsql;
using NpgsqlTypes;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Takes one application from PENDING to its decision: VALIDATING (audited), the bureau through its resilience
/// pipeline, the country's rules, then decision + audit + outbox removal in one transaction. The outbox row can only be
/// removed by the node holding its claim, so an application is decided exactly once even when a lease expires mid-way.
/// </summary>
public sealed class ApplicationProcessor(
    NpgsqlDataSource dataSource,
    PiiCipher cipher,
    ResilientBureau bureau,
    NodeIdentity node,
    TimeProvider clock)
{
    public async Task ProcessAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var application = await BeginValidationAsync(item, cancellationToken);
        if (application is null)
        {
            return;
        }
        var policy = CountryRegistry.Get(application.Country);
        var document = cipher.Decrypt(application.KeyId, application.DocumentCipher);
        var report = await bureau.GetReportAsync(policy, document, cancellationToken);
        var decision = DecisionEngine.Decide(policy, application.Request, report);
        await RecordDecisionAsync(item, decision, report, cancellationToken);
    }

    /// <summary>After the last attempt: the row goes to dead letters and the application to an officer, with the error as reason.</summary>
    public async Task DeadLetterAsync(OutboxItem item, string error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await RemoveClaimedOutboxRowAsync(connection, transaction, item, cancellationToken))
        {
            return;
        }
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO dead_letters (application_id, attempts, error, failed_at) VALUES (@id, @attempts, @error, @now)", connection, transaction))
        {
            insert.Parameters.AddWithValue("id", item.ApplicationId);
            insert.Parameters.AddWithValue("attempts", item.Attempt);
            insert.Parameters.AddWithValue("error", error);
            insert.Parameters.AddWithValue("now", clock.GetUtcNow());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        var reason = $"Processing failed after {item.Attempt} attempts: {error}";
        var now = clock.GetUtcNow();
        await StatusWrites.MoveAsync(connection, transaction, item.ApplicationId, ApplicationStatus.Pending, ApplicationStatus.Validating,
            Actor.System, node.Id, "Processing started", now, cancellationToken: cancellationToken);
        await StatusWrites.MoveAsync(connection, transaction, item.ApplicationId, ApplicationStatus.Validating, ApplicationStatus.UnderReview,
            Actor.System, node.Id, Truncate(reason, 500), now, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<ApplicationToAssess?> BeginValidationAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        ApplicationToAssess application;
        ApplicationStatus status;
        await using (var select = new NpgsqlCommand("""
            SELECT status, country, requested_amount, monthly_income, term_months, document_cipher, pii_key_id
              FROM credit_applications WHERE id = @id FOR UPDATE
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("id", item.ApplicationId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Application {item.ApplicationId} does not exist.");
            }
            if (!ApplicationStatusCodes.TryParse(reader.GetString(0), out status))
            {
                throw new InvalidOperationException($"Application {item.ApplicationId} has an unknown status.");
            }
            application = new ApplicationToAssess(
                reader.GetString(1),
                new LoanRequest(reader.GetDecimal(2), reader.GetDecimal(3), reader.GetInt32(4)),
                reader.GetFieldValue<byte[]>(5),
                reader.GetString(6));
        }

        if (status == ApplicationStatus.Pending)
        {
            await StatusWrites.MoveAsync(connection, transaction, item.ApplicationId, ApplicationStatus.Pending, ApplicationStatus.Validating,
                Actor.System, node.Id, "Processing started", clock.GetUtcNow(), cancellationToken: cancellationToken);
        }
        else if (status != ApplicationStatus.Validating)
        {
            // Cancelled before we got to it, or already decided: nothing left to do.
            await RemoveClaimedOutboxRowAsync(connection, transaction, item, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        await transaction.CommitAsync(cancellationToken);
        return application;
    }

    private async Task RecordDecisionAsync(OutboxItem item, Decision decision, BureauReport report, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await RemoveClaimedOutboxRowAsync(connection, transaction, item, cancellationToken))
        {
            return;
        }
        var failed = decision.Rules.Where(r => r.Failed).Select(r => r.Name).ToList();
        var reason = $"Automatic decision, risk score {decision.RiskScore}" + (failed.Count > 0 ? $"; failed: {string.Join(", ", failed)}" : "");
        var now = clock.GetUtcNow();
        var moved = await StatusWrites.MoveAsync(connection, transaction, item.ApplicationId, ApplicationStatus.Validating, decision.Status,
            Actor.System, node.Id, Truncate(reason, 500), now,
            ", risk_score = @risk, rule_results = @rules, bureau_report = @report, decided_at = @now",
            parameters =>
            {
                parameters.AddWithValue("risk", decision.RiskScore);
                parameters.AddWithValue("rules", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(decision.Rules, Json.Options));
                parameters.AddWithValue("report", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(report, Json.Options));
            },
            cancellationToken);
        if (moved)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Removes the outbox row only if this node still holds its claim; false means another node took it over.</summary>
    private async Task<bool> RemoveClaimedOutboxRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxItem item, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand("DELETE FROM application_outbox WHERE id = @id AND claimed_by = @node", connection, transaction);
        delete.Parameters.AddWithValue("id", item.Id);
        delete.Parameters.AddWithValue("node", node.Id);
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private sealed record ApplicationToAssess(string Country, LoanRequest Request, byte[] DocumentCipher, string KeyId);
}
