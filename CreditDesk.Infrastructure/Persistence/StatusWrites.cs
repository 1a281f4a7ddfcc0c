using CreditDesk.Domain.Applications;
using System.Text.Json;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Events;
using Npgsql;
using NpgsqlTypes;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// The one way a status changes in the database: a compare-and-set on the current status plus its audit row, in one
/// statement. If someone else moved the application first, nothing is written. <see cref="MoveAsync"/> does it for one
/// application; <see cref="MoveAndAudit"/> gives the same SQL to statements that do more in the same round trip (the
/// drain's claim, the decision that deletes its outbox row).
/// </summary>
internal static class StatusWrites
{
    /// <summary>
    /// The move and its audit row as two CTEs, <c>moved</c> then <c>audited</c>, for a <c>WITH</c> list. Every argument
    /// is SQL (a parameter, a literal, an expression); <paramref name="applications"/> selects the ids to move.
    /// </summary>
    public static string MoveAndAudit(string applications, string from, string to, string actor, string actorId, string reason, string now,
        string extraAssignments = "", string proposedBy = "NULL") => $"""
        moved AS (
            UPDATE credit_applications a SET status = {to}, updated_at = {now}{extraAssignments}
             WHERE a.id IN ({applications}) AND a.status = {from}
            RETURNING a.id, a.country, a.risk_score, a.assigned_to, a.updated_at),
        audited AS (
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at, proposed_by)
            SELECT id, {from}, {to}, {actor}, {actorId}, {reason}, {now}, {proposedBy} FROM moved
            RETURNING application_id)
        """;

    /// <summary>The application's latest decision, which a new one supersedes (SQL over <c>au</c>, the audited row).</summary>
    public const string LatestDecision = "(SELECT max(d.id) FROM decisions d WHERE d.application_id = au.application_id)";

    /// <summary>
    /// A decision row for each application in <c>audited</c>, as a CTE for a <c>WITH</c> list: the automatic record in
    /// <c>@decision_record</c> (see <see cref="AddDecisionRecord"/>), superseding <paramref name="supersedes"/>, by
    /// default the application's latest decision.
    /// </summary>
    public static string RecordDecision(string actor, string actorId, string now, string supersedes = LatestDecision) => $"""
        decided AS (
            INSERT INTO decisions (application_id, status, solely_automated, actor, actor_id, policy_version, product_version, supersedes, decided_at, record)
            SELECT au.application_id, @decision_status, true, {actor}, {actorId}, @policy_version, @product_version,
                   {supersedes}, {now}, @decision_record
              FROM audited au)
        """;

    /// <summary>
    /// A person's decision (an admin's move to APPROVED, REJECTED or back to UNDER_REVIEW; staff reopening a rejection on review): not automated, under the
    /// policy version of the decision it supersedes, with the reason they gave.
    /// </summary>
    private const string RecordManualDecision = """
        decided AS (
            INSERT INTO decisions (application_id, status, solely_automated, actor, actor_id, policy_version, product_version, supersedes, decided_at, record)
            SELECT au.application_id, @to, false, @actor, @actor_id, coalesce(p.policy_version, ''), coalesce(p.product_version, ''), p.id, @now,
                   jsonb_build_object('solely_automated', false, 'status', @to::text, 'policy_version', coalesce(p.policy_version, ''),
                       'product_version', coalesce(p.product_version, ''), 'decided_by', @actor::text, 'reason', @reason::text, 'reviewed_decision', p.id,
                       'proposed_by', @proposed_by_text)
              FROM audited au
              LEFT JOIN LATERAL (SELECT d.id, d.policy_version, d.product_version FROM decisions d
                                  WHERE d.application_id = au.application_id ORDER BY d.id DESC LIMIT 1) p ON true)
        """;

    public static void AddDecisionRecord(NpgsqlParameterCollection parameters, DecisionRecord record)
    {
        parameters.AddWithValue("decision_status", record.Status);
        parameters.AddWithValue("policy_version", record.PolicyVersion);
        parameters.AddWithValue("product_version", record.ProductVersion);
        parameters.AddWithValue("decision_record", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(record, Json.Options));
    }

    /// <summary>Whether a move is a person's credit decision (recorded in <c>decisions</c>): an admin approving, rejecting or reopening.</summary>
    public static bool IsManualDecision(ApplicationStatus to, Actor actor) =>
        actor is Actor.Admin or Actor.Officer && to is ApplicationStatus.Approved or ApplicationStatus.Rejected or ApplicationStatus.UnderReview;

    /// <summary>
    /// The change a move made, for <see cref="Events.LiveEvents.Committed"/> once the transaction commits: from a statement that
    /// ends <c>SELECT {MovedColumns} FROM moved m</c> (at <paramref name="offset"/>), or null when nothing moved.
    /// </summary>
    public static async Task<ApplicationChanged?> ReadMovedAsync(NpgsqlDataReader reader, string from, string to, CancellationToken cancellationToken, int offset = 0) =>
        await reader.ReadAsync(cancellationToken) ? Moved(reader, from, to, offset) : null;

    /// <summary>What <see cref="ReadMovedAsync"/> reads, in this order.</summary>
    public const string MovedColumns = "m.id, m.country, m.risk_score, m.assigned_to, m.updated_at";

    public static ApplicationChanged Moved(NpgsqlDataReader reader, string from, string to, int offset = 0) => new(
        reader.GetGuid(offset), reader.GetString(offset + 1), to, from, reader.GetFieldValue<DateTimeOffset>(offset + 4),
        reader.IsDBNull(offset + 2) ? null : reader.GetInt32(offset + 2), reader.IsDBNull(offset + 3) ? null : reader.GetString(offset + 3));

    /// <summary>Moves one application if it is still in <paramref name="from"/>; the change made, or null when someone else moved it first.</summary>
    public static async Task<ApplicationChanged?> MoveAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid applicationId,
        ApplicationStatus from,
        ApplicationStatus to,
        Actor actor,
        string actorId,
        string? reason,
        DateTimeOffset now,
        string extraAssignments = "",
        Action<NpgsqlParameterCollection>? addParameters = null,
        string? proposedBy = null,
        DecisionRecord? automatic = null,
        CancellationToken cancellationToken = default)
    {
        // Every decision is recorded in the same statement as the move: the rules' record when they decided, a person's otherwise.
        var decided = automatic is not null ? "," + RecordDecision("@actor", "@actor_id", "@now")
            : IsManualDecision(to, actor) ? "," + RecordManualDecision
            : "";
        var sql = $"""
            WITH {MoveAndAudit("@id", "@from", "@to", "@actor", "@actor_id", "@reason", "@now", extraAssignments, proposedBy is null ? "NULL" : "@proposed_by")}{decided}
            SELECT {MovedColumns} FROM moved m
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", applicationId);
        command.Parameters.AddWithValue("from", from.ToCode());
        command.Parameters.AddWithValue("to", to.ToCode());
        command.Parameters.AddWithValue("actor", ActorCode(actor));
        command.Parameters.AddWithValue("actor_id", actorId);
        command.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        if (proposedBy is not null)
        {
            command.Parameters.AddWithValue("proposed_by", proposedBy);
        }
        if (automatic is not null)
        {
            AddDecisionRecord(command.Parameters, automatic);
        }
        else if (IsManualDecision(to, actor))
        {
            command.Parameters.AddWithValue("proposed_by_text", NpgsqlDbType.Text, (object?)proposedBy ?? DBNull.Value);
        }
        addParameters?.Invoke(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadMovedAsync(reader, from.ToCode(), to.ToCode(), cancellationToken);
    }

    public static string ActorCode(Actor actor) => actor.ToString().ToLowerInvariant();
}
