namespace CreditDesk.Infrastructure.Persistence;

/// <summary>A credit application as stored: PII only as ciphertext plus a keyed hash for duplicate checks.</summary>
public sealed class ApplicationRecord
{
    public Guid Id { get; set; }
    public string Reference { get; set; } = "";
    public string Country { get; set; } = "";
    public string Currency { get; set; } = "";
    public string Status { get; set; } = "";
    public decimal RequestedAmount { get; set; }
    public decimal MonthlyIncome { get; set; }
    public int TermMonths { get; set; }
    public byte[] FullNameCipher { get; set; } = [];
    public byte[] DocumentCipher { get; set; } = [];
    public string PiiKeyId { get; set; } = "";
    public byte[] DocumentHash { get; set; } = [];
    public string? ApplicantUserId { get; set; }
    public int? RiskScore { get; set; }
    public string? RuleResults { get; set; }
    public string? BureauReport { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>The officer or admin working the application under review (a user id), if anyone is.</summary>
    public string? AssignedTo { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    /// <summary>The loan product (its version) in effect when the application was submitted: the price the applicant was shown.</summary>
    public string? ProductVersion { get; set; }
    /// <summary>The bank that disburses it (set on approval to its country's first active bank; an admin may change it until disbursed).</summary>
    public Guid? BankId { get; set; }
    public uint Version { get; set; }
}
