using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditDesk.Infrastructure.Webhooks.Outgoing;

// Written here: no Standard Webhooks package restores from this registry (the tests verify against the specification's
// own JavaScript library, standardwebhooks on npm).
/// <summary>
/// Signing per the Standard Webhooks specification: secrets are <c>whsec_</c> + base64 of random bytes; the signature is
/// <c>v1,</c> + base64 HMAC-SHA256 over <c>"{webhook-id}.{webhook-timestamp}.{body}"</c> with the decoded secret; several
/// signatures (old and new secret during a rotation) are separated by spaces.
/// </summary>
public static class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";
    private const int SecretBytes = 32;

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The key a secret stands for (the base64 after <c>whsec_</c>).</summary>
    public static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);

    public static string Signature(IEnumerable<byte[]> keys, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content))));
    }
}
