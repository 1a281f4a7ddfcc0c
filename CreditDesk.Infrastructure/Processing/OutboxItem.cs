namespace CreditDesk.Infrastructure.Processing;

/// <summary>A claimed outbox row: which application to process, the how-many-th attempt this is, and the submit's trace.</summary>
public sealed record OutboxItem(long Id, Guid ApplicationId, int Attempt, string? TraceParent);
