using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CreditDesk.Infrastructure.Pii;

/// <summary>One encrypted value and the id of the key that encrypted it.</summary>
public readonly record struct EncryptedText(string KeyId, byte[] Data);

/// <summary>
/// AES-256-GCM encryption of personal data with versioned keys: new data uses the active key, old data stays readable
/// with the key it names until rotation re-encrypts it. Layout: nonce (12) | tag (16) | ciphertext; the key id is
/// authenticated as associated data.
/// </summary>
public sealed class PiiCipher
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> keys;
    private readonly byte[] hashKey;

    public PiiCipher(IOptions<PiiOptions> options)
    {
        var settings = options.Value;
        if (settings.Keys.Count == 0 && settings.DevelopmentKeyFile is { } file)
        {
            settings = DevelopmentKeys.LoadOrCreate(file);
        }
        if (settings.Keys.Count == 0 || string.IsNullOrWhiteSpace(settings.ActiveKeyId) || string.IsNullOrWhiteSpace(settings.HashKey))
        {
            throw new InvalidOperationException("PII encryption keys are not configured: set Pii:ActiveKeyId, Pii:Keys:<id> and Pii:HashKey.");
        }
        keys = settings.Keys.ToDictionary(pair => pair.Key, pair => DecodeKey(pair.Key, pair.Value));
        if (!keys.ContainsKey(settings.ActiveKeyId))
        {
            throw new InvalidOperationException($"Pii:ActiveKeyId '{settings.ActiveKeyId}' is not among Pii:Keys.");
        }
        ActiveKeyId = settings.ActiveKeyId;
        hashKey = DecodeKey("HashKey", settings.HashKey);
    }

    public string ActiveKeyId { get; }

    public EncryptedText Encrypt(string plaintext) => EncryptBytes(Encoding.UTF8.GetBytes(plaintext));

    public string Decrypt(string keyId, byte[] data) => Encoding.UTF8.GetString(DecryptBytes(keyId, data));

    /// <summary>AES-256-GCM with the active key: nonce, tag, ciphertext; the key id is authenticated with it.</summary>
    public EncryptedText EncryptBytes(ReadOnlySpan<byte> plain)
    {
        var data = new byte[NonceSize + TagSize + plain.Length];
        var nonce = data.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[ActiveKeyId], TagSize);
        aes.Encrypt(nonce, plain, data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(ActiveKeyId));
        return new EncryptedText(ActiveKeyId, data);
    }

    public byte[] DecryptBytes(string keyId, byte[] data)
    {
        if (!keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"PII key '{keyId}' is not configured.");
        }
        if (data.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Encrypted PII is truncated.");
        }
        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(keyId));
        return plain;
    }

    /// <summary>A keyed hash of country and normalised document: equal for the same person, useless without the key.</summary>
    public byte[] DocumentHash(string country, string normalizedDocument) =>
        HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes($"{country.ToUpperInvariant()}:{normalizedDocument}"));

    private static byte[] DecodeKey(string name, string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"PII key '{name}' is not valid base64.");
        }
        return key.Length == KeySize ? key : throw new InvalidOperationException($"PII key '{name}' must be {KeySize} bytes.");
    }

    /// <summary>Keys generated once for a development machine and kept in a git-ignored file.</summary>
    private static class DevelopmentKeys
    {
        public static PiiOptions LoadOrCreate(string path)
        {
            if (File.Exists(path))
            {
                return JsonSerializer.Deserialize<PiiOptions>(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty.");
            }
            var options = new PiiOptions
            {
                ActiveKeyId = "dev-1",
                Keys = new Dictionary<string, string> { ["dev-1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)) },
                HashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)),
            };
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(options));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
                return options;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node created it first: use theirs so both encrypt with the same key.
                File.Delete(temporary);
                return LoadOrCreate(path);
            }
        }
    }
}
