namespace CreditDesk.Infrastructure.Pii;

/// <summary>
/// Versioned AES-256 keys (base64, 32 bytes each) by key id, the id new data is encrypted with, and the HMAC key for
/// duplicate checks. Outside Production, when no keys are configured, a development key file is generated.
/// </summary>
public sealed class PiiOptions
{
    public const string Section = "Pii";

    public string? ActiveKeyId { get; set; }
    public Dictionary<string, string> Keys { get; set; } = [];
    public string? HashKey { get; set; }
    public string? DevelopmentKeyFile { get; set; }
}
