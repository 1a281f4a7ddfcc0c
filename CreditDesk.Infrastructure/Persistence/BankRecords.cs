namespace CreditDesk.Infrastructure.Persistence;

/// <summary>A bank partner (banks): it disburses approved applications of its country and confirms them through the webhook.</summary>
public sealed class BankRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Country { get; set; } = "";
    /// <summary>Its contact (a person's name, an address): encrypted like every other personal datum.</summary>
    public byte[]? ContactCipher { get; set; }
    public string? PiiKeyId { get; set; }
    public bool Active { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// One of a bank's inbound signing keys (bank_keys): the bank names it by <see cref="KeyId"/> in its signature header.
/// A key works until revoked, or until <see cref="ExpiresAt"/> (set when a newer key replaced it, after an overlap).
/// </summary>
public sealed class BankKeyRecord
{
    public Guid Id { get; set; }
    public string KeyId { get; set; } = "";
    public Guid BankId { get; set; }
    public byte[] SecretCipher { get; set; } = [];
    public string PiiKeyId { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
