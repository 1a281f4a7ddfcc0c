using Microsoft.Extensions.Caching.Memory;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace CreditDesk.Infrastructure.Access;

public sealed record ApiKey(Guid Id, string Name, string Role, string? UserId, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// API keys for machine clients. Only a SHA-256 hash of each key is stored (keys are 256-bit random, so a plain hash
/// is enough); lookups are cached briefly so authentication costs no query on the hot path. The cache is bounded: known
/// keys for 30 s, unknown ones for 5 s, at most <see cref="CacheEntries"/> of them (by default), so a stream of made-up keys can
/// neither grow the process nor keep a revoked key alive; a revocation empties every node's cache through NOTIFY.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider clock, int cacheEntries = ApiKeyStore.CacheEntries) : IDisposable
{
    public const int CacheEntries = 10_000;
    private const string KeyPrefix = "cdk_";
    private static readonly TimeSpan KnownFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);
    private readonly RevocableCache cache = new(clock, cacheEntries);

    /// <summary>How many lookups the cache holds now (tests show its bound).</summary>
    public long CachedCount => cache.Count;

    /// <summary>Whether the key is known without asking the database (a cached, valid key).</summary>
    public ApiKey? FindCached(string presentedKey) => cache.Current.Get<ApiKey?>(Convert.ToHexString(Hash(presentedKey)));

    public async Task<ApiKey?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = Hash(presentedKey);
        var cacheKey = Convert.ToHexString(hash);
        var current = cache.Current;
        if (current.TryGetValue(cacheKey, out ApiKey? cached))
        {
            return cached;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, role, user_id, key_prefix, created_at, revoked_at FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL");
        command.Parameters.AddWithValue("hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var key = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        RevocableCache.Remember(current, cacheKey, key, key is null ? UnknownFor : KnownFor);
        return key;
    }

    /// <summary>Creates a key and returns it in clear: the only time it is ever shown.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, string role, string? userId, CancellationToken cancellationToken)
    {
        var secret = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = await InsertAsync(name, role, userId, secret, cancellationToken);
        return (key, secret);
    }

    /// <summary>Makes sure a known key exists (development seeding); does nothing if it already does.</summary>
    public async Task EnsureAsync(string name, string role, string? userId, string secret, CancellationToken cancellationToken)
    {
        if (await FindAsync(secret, cancellationToken) is null)
        {
            await InsertAsync(name, role, userId, secret, cancellationToken);
            // Only this key's "unknown" is now wrong; every other cached answer still holds.
            cache.Current.Remove(Convert.ToHexString(Hash(secret)));
        }
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        var revoked = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        ForgetCached();
        return revoked;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, role, user_id, key_prefix, created_at, revoked_at FROM api_keys ORDER BY created_at");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }
        return keys;
    }

    private async Task<ApiKey> InsertAsync(string name, string role, string? userId, string secret, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        }
        var key = new ApiKey(Guid.CreateVersion7(), name, role, userId, secret[..Math.Min(12, secret.Length)], clock.GetUtcNow(), null);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO api_keys (id, name, key_hash, key_prefix, role, user_id, created_at)
            VALUES (@id, @name, @hash, @prefix, @role, @user, @now) ON CONFLICT (key_hash) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("hash", Hash(secret));
        command.Parameters.AddWithValue("prefix", key.Prefix);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("user", (object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue("now", key.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return key;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static ApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));

    public void Dispose() => cache.Dispose();

    /// <summary>Every node calls it when any key is revoked, so a revoked key stops working everywhere at once.</summary>
    public void ForgetCached() => cache.Forget();
}
