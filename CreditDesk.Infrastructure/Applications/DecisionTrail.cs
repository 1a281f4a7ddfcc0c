using CreditDesk.Infrastructure.Events;
using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Pii;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>One recorded decision: who or what made it, under which policy, what it superseded, and its frozen record (JSON).</summary>
public sealed record StoredDecision(
    long Id, string Status, bool SolelyAutomated, string Actor, string ActorId, string PolicyVersion, string ProductVersion, long? Supersedes,
    DateTimeOffset DecidedAt, JsonElement Record, IReadOnlyList<DecisionNotice> Notices);

/// <summary>What the applicant was shown of a decision, on which channel, in which language, when (first showing only).</summary>
public sealed record DecisionNotice(string Channel, string Language, string Content, DateTimeOffset ShownAt);

/// <summary>An applicant's request for a human review and, once given, its outcome; texts decrypted for those allowed to read them.</summary>
public sealed record ReviewRequest(
    Guid Id, Guid ApplicationId, long DecisionId, string Statement, string RequestedBy, DateTimeOffset RequestedAt,
    string? Outcome, string? Explanation, string? DecidedBy, DateTimeOffset? DecidedAt)
{
    public const string Upheld = "upheld";
    public const string Changed = "changed";
    public const int MaxStatement = 2_000;

    public bool IsOpen => Outcome is null;
}

public abstract record ReviewRequestResult
{
    public sealed record Done(ReviewRequest Request) : ReviewRequestResult;

    public sealed record NotFound : ReviewRequestResult;

    /// <summary>The decision is not one the rules made alone (or the application is not rejected or under review).</summary>
    public sealed record NotEligible(string Detail) : ReviewRequestResult;

    /// <summary>Once per decision: asked already, or the outcome is already given.</summary>
    public sealed record Already(ReviewRequest Existing) : ReviewRequestResult;
}

/// <summary>Open review requests for the ops page: how many, and how long the oldest has waited.</summary>
public sealed record OpenReviewRequests(int Count, DateTimeOffset? OldestRequestedAt);

/// <summary>
/// The decision trail of an application (issue #23): the decisions as recorded (append-only), the notices the
/// applicant was shown, and the applicant's right to a human review — asked once per automatic decision, with their
/// statement, answered by staff with an explanation the applicant reads. A "changed" outcome on a rejection reopens
/// it for a person's decision (REJECTED → UNDER_REVIEW, the one way out of a rejection), recorded as a decision of its
/// own that supersedes the rules'.
/// </summary>
public sealed class DecisionTrail(NpgsqlDataSource dataSource, PiiCipher cipher, ApplicationQueries queries, LiveEvents live, TimeProvider clock)
{
    /// <summary>Every decision on the application, oldest first; null when the caller may not see it.</summary>
    public async Task<IReadOnlyList<StoredDecision>?> DecisionsAsync(Caller caller, Guid applicationId, CancellationToken cancellationToken)
    {
        if (await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is null)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.status, d.solely_automated, d.actor, d.actor_id, d.policy_version, d.product_version, d.supersedes, d.decided_at, d.record::text,
                   coalesce((SELECT json_agg(json_build_object('channel', n.channel, 'language', n.language, 'content', n.content, 'shown_at', n.shown_at)
                                             ORDER BY n.shown_at)
                               FROM decision_notices n WHERE n.decision_id = d.id), '[]')::text
              FROM decisions d WHERE d.application_id = @id ORDER BY d.id LIMIT 200
            """);
        command.Parameters.AddWithValue("id", applicationId);
        var decisions = new List<StoredDecision>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var record = JsonDocument.Parse(reader.GetString(9));
            decisions.Add(new StoredDecision(
                reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetFieldValue<DateTimeOffset>(8), record.RootElement.Clone(),
                JsonSerializer.Deserialize<List<DecisionNotice>>(reader.GetString(10), Json.Options) ?? []));
        }
        return decisions;
    }

    /// <summary>
    /// Records that the applicant was shown the application's latest decision on <paramref name="channel"/> in
    /// <paramref name="language"/> (the first showing only; later views change nothing). No decision yet, nothing recorded.
    /// </summary>
    public async Task RecordNoticeAsync(Guid applicationId, string channel, string language, string content, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO decision_notices (decision_id, application_id, channel, language, content, shown_at)
            SELECT d.id, d.application_id, @channel, @language, @content, @now
              FROM decisions d WHERE d.application_id = @id ORDER BY d.id DESC LIMIT 1
            ON CONFLICT (decision_id, channel, language) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", applicationId);
        command.Parameters.AddWithValue("channel", channel);
        command.Parameters.AddWithValue("language", language.Length <= 16 ? language : language[..16]);
        command.Parameters.AddWithValue("content", content.Length <= 4000 ? content : content[..4000]);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The review requests of an application, oldest first; null when the caller may not see it.</summary>
    public async Task<IReadOnlyList<ReviewRequest>?> ReviewRequestsAsync(Caller caller, Guid applicationId, CancellationToken cancellationToken)
    {
        if (await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is null)
        {
            return null;
        }
        return await ReadRequestsAsync(applicationId, null, cancellationToken);
    }

    /// <summary>
    /// What the applicant's page needs: their requests, and whether they may ask now (the decision in force is the
    /// rules' alone, the application is rejected or under review, and nobody asked about that decision yet).
    /// </summary>
    public async Task<(IReadOnlyList<ReviewRequest> Requests, bool CanAsk)?> ReviewStateAsync(Caller caller, Guid applicationId, CancellationToken cancellationToken)
    {
        if (await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is not { } summary)
        {
            return null;
        }
        var requests = await ReadRequestsAsync(applicationId, null, cancellationToken);
        var latest = await LatestDecisionAsync(applicationId, cancellationToken);
        var canAsk = latest is { SolelyAutomated: true } decision && decision.Status == summary.Status && summary.Status is "REJECTED" or "UNDER_REVIEW"
            && requests.All(request => request.DecisionId != decision.Id);
        return (requests, canAsk);
    }

    /// <summary>An applicant asks for a person to review the automatic decision on their application, once per decision.</summary>
    public async Task<ReviewRequestResult> RequestReviewAsync(Caller caller, Guid applicationId, string statement, CancellationToken cancellationToken)
    {
        if (!caller.IsApplicant || await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is not { } summary)
        {
            return new ReviewRequestResult.NotFound();
        }
        var latest = await LatestDecisionAsync(applicationId, cancellationToken);
        if (latest is not { } decision || !decision.SolelyAutomated || summary.Status is not ("REJECTED" or "UNDER_REVIEW") || decision.Status != summary.Status)
        {
            return new ReviewRequestResult.NotEligible(
                "A human review can be asked of a decision the rules made alone, while the application is rejected or under review.");
        }
        var encrypted = cipher.Encrypt(statement);
        var id = Guid.CreateVersion7();
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO review_requests (id, application_id, decision_id, statement_cipher, pii_key_id, requested_by, requested_at)
            VALUES (@id, @application, @decision, @statement, @key, @by, @now) ON CONFLICT (decision_id) DO NOTHING
            """);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("application", applicationId);
        insert.Parameters.AddWithValue("decision", decision.Id);
        insert.Parameters.AddWithValue("statement", encrypted.Data);
        insert.Parameters.AddWithValue("key", encrypted.KeyId);
        insert.Parameters.AddWithValue("by", caller.Id);
        insert.Parameters.AddWithValue("now", clock.GetUtcNow());
        var inserted = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        var requests = await ReadRequestsAsync(applicationId, null, cancellationToken);
        var request = requests.Single(r => r.DecisionId == decision.Id);
        return inserted ? new ReviewRequestResult.Done(request) : new ReviewRequestResult.Already(request);
    }

    /// <summary>
    /// Staff give the outcome of a review with the explanation the applicant reads. "changed" on a rejected application
    /// reopens it (REJECTED → UNDER_REVIEW) in the same transaction, for a person to decide through the desk.
    /// </summary>
    public async Task<ReviewRequestResult> RecordOutcomeAsync(
        Caller caller, Guid applicationId, Guid requestId, string outcome, string explanation, CancellationToken cancellationToken)
    {
        if (caller.IsApplicant || await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is not { } summary)
        {
            return new ReviewRequestResult.NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = (await ReadRequestsAsync(applicationId, requestId, cancellationToken, connection, transaction, forUpdate: true)).SingleOrDefault();
        if (existing is null)
        {
            return new ReviewRequestResult.NotFound();
        }
        if (!existing.IsOpen)
        {
            return new ReviewRequestResult.Already(existing);
        }
        var now = clock.GetUtcNow();
        // Both texts under the active key (the row has one key id; the statement may be older than the last rotation).
        var statement = cipher.Encrypt(existing.Statement);
        var answer = cipher.Encrypt(explanation);
        await using (var update = new NpgsqlCommand("""
            UPDATE review_requests SET outcome = @outcome, explanation_cipher = @explanation, statement_cipher = @statement, pii_key_id = @key,
                   decided_by = @by, decided_at = @now
             WHERE id = @id AND outcome IS NULL
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("outcome", outcome);
            update.Parameters.AddWithValue("explanation", answer.Data);
            update.Parameters.AddWithValue("statement", statement.Data);
            update.Parameters.AddWithValue("key", answer.KeyId);
            update.Parameters.AddWithValue("by", caller.Id);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.AddWithValue("id", requestId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        ApplicationChanged? reopened = null;
        if (outcome == ReviewRequest.Changed && summary.Status == ApplicationStatus.Rejected.ToCode())
        {
            reopened = await StatusWrites.MoveAsync(connection, transaction, applicationId, ApplicationStatus.Rejected, ApplicationStatus.UnderReview,
                caller.IsAdmin ? Actor.Admin : Actor.Officer, caller.Id, "Human review asked by the applicant: the rejection is reopened", now,
                cancellationToken: cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        live.Committed(reopened);
        return new ReviewRequestResult.Done(existing with { Outcome = outcome, Explanation = explanation, DecidedBy = caller.Id, DecidedAt = now });
    }

    /// <summary>How many requests wait for an outcome and since when the oldest has (the ops page).</summary>
    public async Task<OpenReviewRequests> OpenAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), min(requested_at) FROM review_requests WHERE outcome IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OpenReviewRequests((int)reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    private sealed record LatestDecision(long Id, string Status, bool SolelyAutomated);

    private async Task<LatestDecision?> LatestDecisionAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, status, solely_automated FROM decisions WHERE application_id = @id ORDER BY id DESC LIMIT 1");
        command.Parameters.AddWithValue("id", applicationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new LatestDecision(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2)) : null;
    }

    private async Task<IReadOnlyList<ReviewRequest>> ReadRequestsAsync(
        Guid applicationId, Guid? requestId, CancellationToken cancellationToken,
        NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null, bool forUpdate = false)
    {
        var sql = $"""
            SELECT id, application_id, decision_id, statement_cipher, explanation_cipher, pii_key_id, requested_by, requested_at, outcome, decided_by, decided_at
              FROM review_requests WHERE application_id = @application {(requestId is null ? "" : "AND id = @id")}
             ORDER BY requested_at LIMIT 100 {(forUpdate ? "FOR UPDATE" : "")}
            """;
        await using var command = connection is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("application", applicationId);
        if (requestId is { } id)
        {
            command.Parameters.AddWithValue("id", id);
        }
        var requests = new List<ReviewRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var keyId = reader.GetString(5);
            requests.Add(new ReviewRequest(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(3)), reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(4) ? null : cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(4)),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }
        return requests;
    }
}
