using CreditDesk.Domain.Decisions;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>A claimed outbox row: which application to process, the how-many-th attempt this is, and the submit's trace.</summary>
public sealed record OutboxItem(long Id, Guid ApplicationId, int Attempt, string? TraceParent);

/// <summary>
/// A claimed outbox row together with what processing needs from its application, read in the claiming statement.
/// <see cref="StatusAtClaim"/> is the status before the claim moved PENDING applications to VALIDATING;
/// <see cref="ProductVersion"/> the loan product it was priced with when submitted (<see cref="SubmittedAt"/>).
/// </summary>
public sealed record ClaimedApplication(
    OutboxItem Item,
    string StatusAtClaim,
    string Country,
    LoanRequest Request,
    byte[] DocumentCipher,
    string KeyId,
    string? ProductVersion,
    DateTimeOffset SubmittedAt);
