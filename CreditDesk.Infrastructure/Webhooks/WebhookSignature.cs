using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditDesk.Infrastructure.Webhooks;

/// <summary>
/// <c>X-CreditDesk-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>. Several v1 values are
/// allowed so a sender can sign with old and new secrets during rotation; any configured secret may match. Comparison is
/// constant-time; timestamps more than the tolerance away from now (either way) are refused.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-CreditDesk-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    public enum Verdict
    {
        Valid,
        Missing,
        Malformed,
        Stale,
        Mismatch,
    }

    public static Verdict Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Verdict.Missing;
        }
        long? timestamp = null;
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
            else if (name == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }
        if (timestamp is not { } t || signatures.Count == 0)
        {
            return Verdict.Malformed;
        }
        if (t > DateTimeOffset.MaxValue.ToUnixTimeSeconds() || (now - DateTimeOffset.FromUnixTimeSeconds(t)).Duration() > Tolerance)
        {
            return Verdict.Stale;
        }
        foreach (var secret in secrets)
        {
            var expected = Compute(secret, t, body);
            foreach (var signature in signatures)
            {
                if (CryptographicOperations.FixedTimeEquals(expected, signature))
                {
                    return Verdict.Valid;
                }
            }
        }
        return Verdict.Mismatch;
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
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Compute(secret, timestamp, body))}";
}
