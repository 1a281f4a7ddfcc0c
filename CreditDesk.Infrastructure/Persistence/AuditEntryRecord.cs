namespace CreditDesk.Infrastructure.Persistence;

/// <summary>One status change: who, when, from, to and why. Written in the transaction that makes the change.</summary>
public sealed class AuditEntryRecord
{
    public long Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string? FromStatus { get; set; }
    public string ToStatus { get; set; } = "";
    public string Actor { get; set; } = "";
    public string ActorId { get; set; } = "";
    public string? Reason { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    /// <summary>For a four-eyes decision, who proposed it (<see cref="ActorId"/> confirmed it).</summary>
    public string? ProposedBy { get; set; }
}
