using CreditDesk.Domain.Applications;
using Npgsql;

namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// The one way a status changes in the database: a compare-and-set on the current status plus its audit row, in one
/// statement. If someone else moved the application first, nothing is written and the caller sees <c>false</c>.
/// </summary>
internal static class StatusWrites
{
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
        CancellationToken cancellationToken = default)
    {
        var sql = $"""
            WITH moved AS (
                UPDATE credit_applications SET status = @to, updated_at = @now{extraAssignments}
                 WHERE id = @id AND status = @from
                RETURNING id)
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at)
            SELECT id, @from, @to, @actor, @actor_id, @reason, @now FROM moved
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", applicationId);
        command.Parameters.AddWithValue("from", from.ToCode());
        command.Parameters.AddWithValue("to", to.ToCode());
        command.Parameters.AddWithValue("actor", ActorCode(actor));
        command.Parameters.AddWithValue("actor_id", actorId);
        command.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("now", now);
        addParameters?.Invoke(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static string ActorCode(Actor actor) => actor.ToString().ToLowerInvariant();
}
