using CreditDesk.Domain;
using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Persistence;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

public abstract record StatusChangeResult
{
    public sealed record Changed(ApplicationStatus From, ApplicationStatus To) : StatusChangeResult;

    public sealed record NotFound : StatusChangeResult;

    /// <summary>The lifecycle does not allow it (or a reason is missing).</summary>
    public sealed record Refused(DomainError Error) : StatusChangeResult;

    /// <summary>Someone else changed the application between our read and our write.</summary>
    public sealed record Conflict(ApplicationStatus Current) : StatusChangeResult;

    /// <summary>Above the currency's authority limit a manual decision is proposed by one person and confirmed by another admin.</summary>
    public sealed record FourEyesRequired(decimal Limit, string Currency) : StatusChangeResult;
}

/// <summary>
/// Manual and external status changes (admin, applicant, bank): checked against the status machine and written as a
/// compare-and-set, so of many concurrent changes to one application exactly one wins.
/// </summary>
public sealed class StatusChanges(NpgsqlDataSource dataSource, FourEyes fourEyes, LiveEvents live, TimeProvider clock)
{
    public async Task<StatusChangeResult> ChangeAsync(
        Guid applicationId, ApplicationStatus to, Actor actor, string actorId, string? reason, CancellationToken cancellationToken,
        string? applicantUserId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT status, applicant_user_id, currency, requested_amount FROM credit_applications WHERE id = @id", connection);
        select.Parameters.AddWithValue("id", applicationId);
        ApplicationStatus from;
        string currency;
        decimal amount;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || !ApplicationStatusCodes.TryParse(reader.GetString(0), out from))
            {
                return new StatusChangeResult.NotFound();
            }
            // Applicants only ever see their own applications: someone else's is "not found", not "forbidden".
            if (actor == Actor.Applicant && (reader.IsDBNull(1) || reader.GetString(1) != applicantUserId))
            {
                return new StatusChangeResult.NotFound();
            }
            (currency, amount) = (reader.GetString(2), reader.GetDecimal(3));
        }
        try
        {
            StatusMachine.EnsureCanMove(from, to, actor, reason);
        }
        catch (DomainException refusal)
        {
            return new StatusChangeResult.Refused(refusal.Error);
        }
        if (actor == Actor.Admin && fourEyes.Requires(currency, amount, to))
        {
            return new StatusChangeResult.FourEyesRequired(fourEyes.LimitFor(currency)!.Value, currency);
        }
        var moved = await StatusWrites.MoveAsync(connection, null, applicationId, from, to, actor, actorId, reason?.Trim(), clock.GetUtcNow(),
            cancellationToken: cancellationToken);
        if (moved is not null)
        {
            live.Committed(moved);
            return new StatusChangeResult.Changed(from, to);
        }
        await using var current = new NpgsqlCommand("SELECT status FROM credit_applications WHERE id = @id", connection);
        current.Parameters.AddWithValue("id", applicationId);
        return ApplicationStatusCodes.TryParse((string?)await current.ExecuteScalarAsync(cancellationToken), out var now)
            ? new StatusChangeResult.Conflict(now)
            : new StatusChangeResult.NotFound();
    }
}
