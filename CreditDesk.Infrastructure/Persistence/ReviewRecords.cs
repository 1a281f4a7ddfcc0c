namespace CreditDesk.Infrastructure.Persistence;

/// <summary>A review note on an application: the text only as ciphertext (notes often hold personal data).</summary>
public sealed class NoteRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string AuthorId { get; set; } = "";
    public byte[] TextCipher { get; set; } = [];
    public string PiiKeyId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
}

/// <summary>One change of who works an application (claimed, assigned, released): the assignment's audit trail.</summary>
public sealed class AssignmentRecord
{
    public long Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string Action { get; set; } = "";
    public string? Assignee { get; set; }
    public string ActorId { get; set; } = "";
    public DateTimeOffset OccurredAt { get; set; }
}
