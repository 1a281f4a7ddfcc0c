using CreditDesk.Infrastructure.Events;
using System.Diagnostics;
using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Infrastructure.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Takes one claimed application (already moved to VALIDATING by the claim) to its decision: the bureau through its
/// resilience pipeline, the country's rules, then — in one statement — outbox removal, decision and audit row. The outbox
/// row can only be removed by the node holding its claim, so an application is decided exactly once even when a lease
/// expires mid-way and another node takes over.
/// </summary>
public sealed class ApplicationProcessor(
    NpgsqlDataSource dataSource,
    PiiCipher cipher,
    ResilientBureau bureau,
    NodeIdentity node,
    LoanCatalogue catalogue,
    DecisionWriter writer,
    LiveEvents live,
    TimeProvider clock)
{
    private static readonly string ValidatingCode = ApplicationStatus.Validating.ToCode();

    public async Task ProcessAsync(ClaimedApplication claimed, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = CreditDeskTelemetry.StartFromStored("application.process", claimed.Item.TraceParent);
        activity?.SetTag("creditdesk.application_id", claimed.Item.ApplicationId);
        activity?.SetTag("creditdesk.country", claimed.Country);
        activity?.SetTag("creditdesk.attempt", claimed.Item.Attempt);
        if (claimed.StatusAtClaim != ApplicationStatus.Pending.ToCode() && claimed.StatusAtClaim != ValidatingCode)
        {
            // Cancelled before we got to it, or already decided: nothing left to do but drop the row.
            await using var drop = dataSource.CreateCommand("DELETE FROM application_outbox WHERE id = @id AND claimed_by = @node");
            drop.Parameters.AddWithValue("id", claimed.Item.Id);
            drop.Parameters.AddWithValue("node", node.Id);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        var policy = CountryRegistry.Get(claimed.Country);
        var version = new PolicyVersion(policy, await catalogue.FindAsync(policy.Code, claimed.ProductVersion, cancellationToken));
        var document = cipher.Decrypt(claimed.KeyId, claimed.DocumentCipher);
        var report = await bureau.GetReportAsync(policy, document, cancellationToken);
        var decision = DecisionEngine.Decide(version, claimed.Request, report);
        var now = clock.GetUtcNow();
        await RecordDecisionAsync(claimed.Item, decision, report,
            DecisionRecord.Automatic(version, decision, report, claimed.SubmittedAt, now), now);
        activity?.SetTag("creditdesk.status", decision.Status.ToCode());
        CreditDeskTelemetry.ApplicationsDecided.Add(1,
            new KeyValuePair<string, object?>("country", policy.Code), new KeyValuePair<string, object?>("status", decision.Status.ToCode()));
        CreditDeskTelemetry.ProcessingDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("country", policy.Code));
    }

    /// <summary>
    /// An admin's retry of a dead-lettered application (now UNDER_REVIEW): assess it again and, when the rules decide
    /// it, make that decision as the admin's transition (UNDER_REVIEW → APPROVED | REJECTED), audited with the admin's id.
    /// </summary>
    public async Task<ScreenText> ReassessAsync(Guid applicationId, string adminId, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand(
            "SELECT status, country, requested_amount, monthly_income, term_months, document_cipher, pii_key_id, product_version, created_at FROM credit_applications WHERE id = @id");
        select.Parameters.AddWithValue("id", applicationId);
        string status, country, keyId;
        string? productVersion;
        DateTimeOffset submittedAt;
        LoanRequest request;
        byte[] documentCipher;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new ScreenText("Ops.Retry.Gone");
            }
            (status, country) = (reader.GetString(0), reader.GetString(1));
            request = new LoanRequest(reader.GetDecimal(2), reader.GetDecimal(3), reader.GetInt32(4));
            (documentCipher, keyId) = (reader.GetFieldValue<byte[]>(5), reader.GetString(6));
            (productVersion, submittedAt) = (reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8));
        }
        if (status != ApplicationStatus.UnderReview.ToCode())
        {
            return new ScreenText("Ops.Retry.Nothing", status);
        }
        var policy = CountryRegistry.Get(country);
        var version = new PolicyVersion(policy, await catalogue.FindAsync(policy.Code, productVersion, cancellationToken));
        var report = await bureau.GetReportAsync(policy, cipher.Decrypt(keyId, documentCipher), cancellationToken);
        var decision = DecisionEngine.Decide(version, request, report);
        var now = clock.GetUtcNow();
        var record = DecisionRecord.Automatic(version, decision, report, submittedAt, now);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (decision.Status == ApplicationStatus.UnderReview)
        {
            // Still for a person: the new assessment is recorded as a decision of its own, superseding the one before.
            await using var update = new NpgsqlCommand($"""
                WITH audited AS (
                    UPDATE credit_applications SET risk_score = @risk, rule_results = @rules, bureau_report = @report, updated_at = @now
                     WHERE id = @id AND status = 'UNDER_REVIEW' RETURNING id AS application_id),
                {StatusWrites.RecordDecision("'admin'", "@admin", "@now")}
                SELECT count(*) FROM audited
                """, connection);
            AddAssessment(update.Parameters, decision, report);
            StatusWrites.AddDecisionRecord(update.Parameters, record);
            update.Parameters.AddWithValue("admin", adminId);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.AddWithValue("id", applicationId);
            await update.ExecuteNonQueryAsync(cancellationToken);
            return new ScreenText("Ops.Retry.StillReview");
        }
        // The rules decided (an admin only asked them again): recorded as an automatic decision, made at the admin's request.
        var moved = await StatusWrites.MoveAsync(connection, null, applicationId, ApplicationStatus.UnderReview, decision.Status, Actor.Admin, adminId,
            $"Dead letter retried: automatic decision, risk score {decision.RiskScore}", now,
            DecisionAssignments,
            parameters => AddAssessment(parameters, decision, report), automatic: record, cancellationToken: cancellationToken);
        live.Committed(moved);
        return moved is not null ? new ScreenText("Ops.Retry.Decided", decision.Status.ToCode()) : new ScreenText("Ops.Retry.Raced");
    }

    private static void AddAssessment(NpgsqlParameterCollection parameters, Decision decision, BureauReport report)
    {
        parameters.AddWithValue("risk", decision.RiskScore);
        parameters.AddWithValue("rules", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(decision.Rules, Json.Options));
        parameters.AddWithValue("report", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(report, Json.Options));
    }

    /// <summary>After the last attempt: the row goes to dead letters and the application to an officer, with the error as reason.</summary>
    public async Task DeadLetterAsync(OutboxItem item, string error, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = new NpgsqlCommand("DELETE FROM application_outbox WHERE id = @id AND claimed_by = @node", connection, transaction))
        {
            delete.Parameters.AddWithValue("id", item.Id);
            delete.Parameters.AddWithValue("node", node.Id);
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return;
            }
        }
        var now = clock.GetUtcNow();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO dead_letters (application_id, attempts, error, failed_at) VALUES (@id, @attempts, @error, @now)", connection, transaction))
        {
            insert.Parameters.AddWithValue("id", item.ApplicationId);
            insert.Parameters.AddWithValue("attempts", item.Attempt);
            insert.Parameters.AddWithValue("error", error);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        var reason = $"Processing failed after {item.Attempt} attempts: {error}";
        var moved = await StatusWrites.MoveAsync(connection, transaction, item.ApplicationId, ApplicationStatus.Validating, ApplicationStatus.UnderReview,
            Actor.System, node.Id, Truncate(reason, 500), now, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        live.Committed(moved);
    }

    /// <summary>What a decision writes besides its status: when, the score, the rules and the bureau's report.</summary>
    private const string DecisionAssignments = ", decided_at = @now, risk_score = @risk, rule_results = @rules, bureau_report = @report";

    private async Task RecordDecisionAsync(
        OutboxItem item, Decision decision, BureauReport report, DecisionRecord record, DateTimeOffset now)
    {
        var failed = decision.Rules.Where(r => r.Failed).Select(r => r.Name).ToList();
        var reason = $"Automatic decision, risk score {decision.RiskScore}" + (failed.Count > 0 ? $"; failed: {string.Join(", ", failed)}" : "");
        // Removing our claimed outbox row gates the whole statement: a node that lost its lease writes nothing. The
        // statement is committed with whatever other decisions are ready at the same moment (DecisionWriter). Once handed
        // over it is waited for even when the drain is being stopped: a decision that commits is published.
        var moved = await writer.WriteAsync(DecisionStatement, parameters =>
        {
            parameters.AddWithValue("outbox", item.Id);
            parameters.AddWithValue("node", node.Id);
            parameters.AddWithValue("from", ValidatingCode);
            parameters.AddWithValue("to", decision.Status.ToCode());
            parameters.AddWithValue("now", now);
            AddAssessment(parameters, decision, report);
            StatusWrites.AddDecisionRecord(parameters, record);
            parameters.AddWithValue("reason", Truncate(reason, 500));
        }, ValidatingCode, decision.Status.ToCode(), CancellationToken.None);
        live.Committed(moved);
    }

    /// <summary>
    /// The drain's decision. It supersedes nothing: an application leaves VALIDATING once and nothing moves one back to
    /// PENDING or VALIDATING (StatusMachineTests), so it has no decision yet. Not looking one up matters beyond the
    /// lookup: on a young <c>decisions</c> table each connection's cached plan for it was a sequential scan, read again
    /// for every decision (B2 on a fresh database: 3 653 scans, 31 million rows read by mid-drain).
    /// </summary>
    private static readonly string DecisionStatement = $"""
        WITH claim AS (
            DELETE FROM application_outbox WHERE id = @outbox AND claimed_by = @node RETURNING application_id),
        {StatusWrites.MoveAndAudit("SELECT application_id FROM claim", "@from", "@to", "'system'", "@node", "@reason", "@now", DecisionAssignments)},
        {StatusWrites.RecordDecision("'system'", "@node", "@now", supersedes: "NULL")}
        SELECT {StatusWrites.MovedColumns} FROM moved m
        """;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
