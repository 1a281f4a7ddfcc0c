using CreditDesk.Domain.Applications;
using Npgsql;

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
            RETURNING a.id),
        audited AS (
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at, proposed_by)
            SELECT id, {from}, {to}, {actor}, {actorId}, {reason}, {now}, {proposedBy} FROM moved
            RETURNING application_id)
        """;

    public static async Task<bool> MoveAsync(
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
        CancellationToken cancellationToken = default)
    {
        var sql = $"""
            WITH {MoveAndAudit("@id", "@from", "@to", "@actor", "@actor_id", "@reason", "@now", extraAssignments, proposedBy is null ? "NULL" : "@proposed_by")}
            SELECT count(*) FROM audited
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
        addParameters?.Invoke(command.Parameters);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public static string ActorCode(Actor actor) => actor.ToString().ToLowerInvariant();
}
