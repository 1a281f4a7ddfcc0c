using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditDesk.Infrastructure.Webhooks;

/// <summary>
/// <c>X-CreditDesk-Signature: t=&lt;unix seconds&gt;,kid=&lt;bank key id&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.
/// <c>kid</c> names which of a bank's keys signed, and so which bank is speaking; several v1 values are allowed (any may
/// match). Comparison is constant-time; timestamps more than the tolerance away from now (either way) are refused.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-CreditDesk-Signature";
    public const int MaxKeyIdLength = 64;
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    public enum Verdict
    {
        Valid,
        Missing,
        Malformed,
        Stale,
    }

    /// <summary>A header read: when it was signed, by which key, and the signatures it carries.</summary>
    public sealed record SignedHeader(long Timestamp, string KeyId, IReadOnlyList<byte[]> Signatures)
    {
        /// <summary>Whether one of the signatures is this secret's over the body (constant-time).</summary>
        public bool Matches(string secret, ReadOnlySpan<byte> body)
        {
            var expected = Compute(secret, Timestamp, body);
            var matched = false;
            foreach (var signature in Signatures)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
            return matched;
        }
    }

    /// <summary>Reads the header; <see cref="Verdict.Valid"/> with <paramref name="read"/> when it is well formed and fresh.</summary>
    public static Verdict Read(string? header, DateTimeOffset now, out SignedHeader? read)
    {
        read = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            return Verdict.Missing;
        }
        long? timestamp = null;
        string? keyId = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                return Verdict.Malformed;
            }
            var (name, value) = (part[..separator], part[(separator + 1)..]);
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                timestamp = seconds;
            }
            else if (name == "kid" && value.Length is > 0 and <= MaxKeyIdLength)
            {
                keyId = value;
            }
            else if (name == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }
        if (timestamp is not { } t || keyId is null || signatures.Count == 0)
        {
            return Verdict.Malformed;
        }
        if (t > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || (now - DateTimeOffset.FromUnixTimeSeconds(t)).Duration() > Tolerance)
        {
            return Verdict.Stale;
        }
        read = new SignedHeader(t, keyId, signatures);
        return Verdict.Valid;
    }

    public static byte[] Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    /// <summary>The header value a bank would send (used by tests and the demo command).</summary>
    public static string Sign(string keyId, string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},kid={keyId},v1={Convert.ToHexStringLower(Compute(secret, timestamp, body))}";
}
