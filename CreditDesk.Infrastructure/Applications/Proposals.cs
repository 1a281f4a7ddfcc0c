using CreditDesk.Infrastructure.Events;
using CreditDesk.Domain;
using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

/// <summary><c>Approvals:</c> — above these amounts (per currency) a manual approval or rejection needs two people.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approvals";

    public Dictionary<string, decimal> FourEyesAbove { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["EUR"] = 50_000m,
        ["MXN"] = 1_000_000m,
        ["COP"] = 200_000_000m,
        ["BRL"] = 250_000m,
    };
}

/// <summary>Whether a manual decision needs a second person (maker-checker), by the application's currency and amount.</summary>
public sealed class FourEyes(IOptions<ApprovalOptions> options)
{
    public decimal? LimitFor(string currency) => options.Value.FourEyesAbove.TryGetValue(currency, out var limit) ? limit : null;

    public bool Requires(string currency, decimal amount, ApplicationStatus to) =>
        to is ApplicationStatus.Approved or ApplicationStatus.Rejected && LimitFor(currency) is { } limit && amount > limit;
}

public sealed record Proposal(
    Guid Id, Guid ApplicationId, string FromStatus, string ToStatus, string Reason, string ProposedBy, DateTimeOffset ProposedAt,
    string State, string? DecidedBy, DateTimeOffset? DecidedAt, string? DeclineReason)
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Declined = "declined";
    public const string Superseded = "superseded";

    public bool IsPending => State == Pending;
}

public abstract record ProposalResult
{
    public sealed record Done(Proposal Proposal) : ProposalResult;

    public sealed record NotFound : ProposalResult;

    /// <summary>The lifecycle does not allow the move, a reason is missing, or the target is not a decision.</summary>
    public sealed record Refused(DomainError Error) : ProposalResult;

    /// <summary>One proposal at a time per application.</summary>
    public sealed record AlreadyPending(Proposal Pending) : ProposalResult;

    /// <summary>Nobody confirms or declines their own proposal.</summary>
    public sealed record OwnProposal : ProposalResult;

    public sealed record NotAllowed(string Detail) : ProposalResult;

    /// <summary>It was already confirmed or declined, or the application moved meanwhile (the proposal is then superseded).</summary>
    public sealed record NoLongerPending(string State) : ProposalResult;
}

/// <summary>
/// Four-eyes decisions: an officer or admin proposes APPROVED or REJECTED with a reason; a different admin confirms
/// (the status moves, the audit row names both) or declines. Confirming is the same compare-and-set as any move, in
/// the transaction that closes the proposal: if the application moved since, nothing moves and the proposal is superseded.
/// </summary>
public sealed class Proposals(NpgsqlDataSource dataSource, LiveEvents live, TimeProvider clock)
{
    private const string Columns = "id, application_id, from_status, to_status, reason, proposed_by, proposed_at, state, decided_by, decided_at, decline_reason";

    public async Task<ProposalResult> ProposeAsync(Guid applicationId, Caller caller, ApplicationStatus to, string? reason, CancellationToken cancellationToken)
    {
        if (caller.IsApplicant)
        {
            return new ProposalResult.NotAllowed("Only staff propose decisions.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT status FROM credit_applications WHERE id = @id FOR UPDATE", connection, transaction);
        select.Parameters.AddWithValue("id", applicationId);
        if (await select.ExecuteScalarAsync(cancellationToken) is not string status || !ApplicationStatusCodes.TryParse(status, out var from))
        {
            return new ProposalResult.NotFound();
        }
        try
        {
            if (to is not (ApplicationStatus.Approved or ApplicationStatus.Rejected))
            {
                throw new DomainException(DomainError.InvalidTransition(from.ToCode(), to.ToCode(), "proposal"));
            }
            StatusMachine.EnsureCanMove(from, to, Actor.Admin, reason);
        }
        catch (DomainException refusal)
        {
            return new ProposalResult.Refused(refusal.Error);
        }
        if (await PendingAsync(connection, transaction, applicationId, cancellationToken) is { } pending)
        {
            return new ProposalResult.AlreadyPending(pending);
        }
        var proposal = new Proposal(Guid.CreateVersion7(), applicationId, from.ToCode(), to.ToCode(), reason!.Trim(), caller.Id, clock.GetUtcNow(),
            Proposal.Pending, null, null, null);
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO decision_proposals (id, application_id, from_status, to_status, reason, proposed_by, proposed_at, state)
            VALUES (@id, @application, @from, @to, @reason, @by, @at, '{Proposal.Pending}')
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", proposal.Id);
        insert.Parameters.AddWithValue("application", applicationId);
        insert.Parameters.AddWithValue("from", proposal.FromStatus);
        insert.Parameters.AddWithValue("to", proposal.ToStatus);
        insert.Parameters.AddWithValue("reason", proposal.Reason);
        insert.Parameters.AddWithValue("by", caller.Id);
        insert.Parameters.AddWithValue("at", proposal.ProposedAt);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ProposalResult.Done(proposal);
    }

    /// <summary>A different admin confirms: the application moves (audited with proposer and confirmer) and the proposal closes, together.</summary>
    public Task<ProposalResult> ConfirmAsync(Guid applicationId, Guid proposalId, Caller caller, CancellationToken cancellationToken) =>
        CloseAsync(applicationId, proposalId, caller, confirm: true, null, cancellationToken);

    public Task<ProposalResult> DeclineAsync(Guid applicationId, Guid proposalId, Caller caller, string? reason, CancellationToken cancellationToken) =>
        CloseAsync(applicationId, proposalId, caller, confirm: false, reason, cancellationToken);

    private async Task<ProposalResult> CloseAsync(Guid applicationId, Guid proposalId, Caller caller, bool confirm, string? declineReason, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            return new ProposalResult.NotAllowed("Only an admin confirms or declines a proposal.");
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            $"SELECT {Columns} FROM decision_proposals WHERE id = @id AND application_id = @application FOR UPDATE", connection, transaction);
        select.Parameters.AddWithValue("id", proposalId);
        select.Parameters.AddWithValue("application", applicationId);
        Proposal proposal;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new ProposalResult.NotFound();
            }
            proposal = Read(reader);
        }
        if (!proposal.IsPending)
        {
            return new ProposalResult.NoLongerPending(proposal.State);
        }
        if (proposal.ProposedBy == caller.Id)
        {
            return new ProposalResult.OwnProposal();
        }
        var now = clock.GetUtcNow();
        var state = confirm ? Proposal.Confirmed : Proposal.Declined;
        var moved = confirm
            ? await StatusWrites.MoveAsync(connection, transaction, applicationId, ParseStatus(proposal.FromStatus), ParseStatus(proposal.ToStatus),
                Actor.Admin, caller.Id, proposal.Reason, now, proposedBy: proposal.ProposedBy, cancellationToken: cancellationToken)
            : null;
        if (confirm && moved is null)
        {
            state = Proposal.Superseded;
        }
        await using var update = new NpgsqlCommand(
            "UPDATE decision_proposals SET state = @state, decided_by = @by, decided_at = @at, decline_reason = @reason WHERE id = @id", connection, transaction);
        update.Parameters.AddWithValue("state", state);
        update.Parameters.AddWithValue("by", caller.Id);
        update.Parameters.AddWithValue("at", now);
        update.Parameters.AddWithValue("reason", (object?)declineReason?.Trim() ?? DBNull.Value);
        update.Parameters.AddWithValue("id", proposalId);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        live.Committed(moved);
        var closed = proposal with { State = state, DecidedBy = caller.Id, DecidedAt = now, DeclineReason = declineReason?.Trim() };
        return state == Proposal.Superseded ? new ProposalResult.NoLongerPending(state) : new ProposalResult.Done(closed);
    }

    /// <summary>The application's proposals, latest first.</summary>
    public async Task<IReadOnlyList<Proposal>> ListAsync(Guid applicationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM decision_proposals WHERE application_id = @application ORDER BY proposed_at DESC LIMIT {ApplicationQueries.ListBound}");
        command.Parameters.AddWithValue("application", applicationId);
        var proposals = new List<Proposal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            proposals.Add(Read(reader));
        }
        return proposals;
    }

    private static async Task<Proposal?> PendingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid applicationId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM decision_proposals WHERE application_id = @application AND state = '{Proposal.Pending}'", connection, transaction);
        command.Parameters.AddWithValue("application", applicationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ApplicationStatus ParseStatus(string code) =>
        ApplicationStatusCodes.TryParse(code, out var status) ? status : throw new InvalidOperationException($"Unknown status {code}.");

    private static Proposal Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetString(10));
}
