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

/// <summary>A four-eyes proposal: a decision one person proposed and another confirms or declines.</summary>
public sealed class ProposalRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string FromStatus { get; set; } = "";
    public string ToStatus { get; set; } = "";
    public string Reason { get; set; } = "";
    public string ProposedBy { get; set; } = "";
    public DateTimeOffset ProposedAt { get; set; }
    public string State { get; set; } = "";
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DeclineReason { get; set; }
}

/// <summary>A supporting document: its content only as ciphertext, and no file name (names often hold personal data).</summary>
public sealed class DocumentRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string Kind { get; set; } = "";
    public string MediaType { get; set; } = "";
    public long SizeBytes { get; set; }
    public byte[] ContentCipher { get; set; } = [];
    public string PiiKeyId { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public DateTimeOffset UploadedAt { get; set; }
    public string? VerifiedBy { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
}

/// <summary>A document an officer asked the applicant for, with a message (encrypted).</summary>
public sealed class DocumentRequestRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string Kind { get; set; } = "";
    public byte[] MessageCipher { get; set; } = [];
    public string PiiKeyId { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? FulfilledAt { get; set; }
}
