namespace CreditDesk.Infrastructure.Persistence;

/// <summary>
/// A loan product as an admin (or the country's file) set it: its content hash, the day it takes effect and its terms
/// as JSON. Rows are never changed: a new version is a new row, so every decision's product stays readable.
/// </summary>
public sealed class LoanProductRecord
{
    public string Version { get; set; } = "";
    public string Country { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public string Definition { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One decision on an application, append-only (a trigger refuses UPDATE and DELETE): who or what decided, under which
/// policy version, and the frozen record (inputs, rules, reasons). A later decision names the one it supersedes.
/// </summary>
public sealed class DecisionRowRecord
{
    public long Id { get; set; }
    public Guid ApplicationId { get; set; }
    public string Status { get; set; } = "";
    public bool SolelyAutomated { get; set; }
    public string Actor { get; set; } = "";
    public string ActorId { get; set; } = "";
    public string PolicyVersion { get; set; } = "";
    public string ProductVersion { get; set; } = "";
    public long? Supersedes { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public string Record { get; set; } = "";
}

/// <summary>An applicant's request for a person to review an automatic decision: their statement and the outcome's explanation, encrypted.</summary>
public sealed class ReviewRequestRecord
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public long DecisionId { get; set; }
    public byte[] StatementCipher { get; set; } = [];
    public byte[]? ExplanationCipher { get; set; }
    public string PiiKeyId { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public string? Outcome { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>A decision's notice as its applicant was first shown it, per language and channel: what, in which language, when.</summary>
public sealed class DecisionNoticeRecord
{
    public long Id { get; set; }
    public long DecisionId { get; set; }
    public Guid ApplicationId { get; set; }
    public string Channel { get; set; } = "";
    public string Language { get; set; } = "";
    public string Content { get; set; } = "";
    public DateTimeOffset ShownAt { get; set; }
}
