using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>A stored answer to replay for a repeated Idempotency-Key.</summary>
public sealed record StoredResponse(int StatusCode, string Body, string? Location);

public abstract record IdempotencyClaim
{
    /// <summary>First use of the key: go ahead, then <see cref="IdempotencyStore.CompleteAsync"/>.</summary>
    public sealed record Acquired : IdempotencyClaim;

    /// <summary>Same key, same body, already answered: replay it.</summary>
    public sealed record Replay(StoredResponse Response) : IdempotencyClaim;

    /// <summary>Same key with another body, or the first request is still running.</summary>
    public sealed record Conflict(string Detail) : IdempotencyClaim;
}

/// <summary>
/// Idempotency keys for creates: the key is reserved before the work (so concurrent retries cannot both create), then
/// completed with the response, and kept for 24 hours. Keys are scoped per client.
/// </summary>
public sealed class IdempotencyStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task<IdempotencyClaim> ClaimAsync(string scopedKey, byte[] requestHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (var cleanup = dataSource.CreateCommand("DELETE FROM idempotency_keys WHERE key = @key AND expires_at < @now"))
        {
            cleanup.Parameters.AddWithValue("key", scopedKey);
            cleanup.Parameters.AddWithValue("now", now);
            await cleanup.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var reserve = dataSource.CreateCommand("""
            INSERT INTO idempotency_keys (key, request_hash, status_code, response_body, created_at, expires_at)
            VALUES (@key, @hash, 0, '', @now, @expires) ON CONFLICT (key) DO NOTHING
            """))
        {
            reserve.Parameters.AddWithValue("key", scopedKey);
            reserve.Parameters.AddWithValue("hash", requestHash);
            reserve.Parameters.AddWithValue("now", now);
            reserve.Parameters.AddWithValue("expires", now + Lifetime);
            if (await reserve.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return new IdempotencyClaim.Acquired();
            }
        }
        await using var read = dataSource.CreateCommand("SELECT request_hash, status_code, response_body, location FROM idempotency_keys WHERE key = @key");
        read.Parameters.AddWithValue("key", scopedKey);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new IdempotencyClaim.Conflict("The idempotency key expired while in use; retry.");
        }
        if (!reader.GetFieldValue<byte[]>(0).AsSpan().SequenceEqual(requestHash))
        {
            return new IdempotencyClaim.Conflict("This Idempotency-Key was already used with a different request body.");
        }
        return reader.GetInt32(1) == 0
            ? new IdempotencyClaim.Conflict("A request with this Idempotency-Key is still being processed.")
            : new IdempotencyClaim.Replay(new StoredResponse(reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
    }

    public async Task CompleteAsync(string scopedKey, StoredResponse response, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE idempotency_keys SET status_code = @code, response_body = @body, location = @location WHERE key = @key");
        command.Parameters.AddWithValue("key", scopedKey);
        command.Parameters.AddWithValue("code", response.StatusCode);
        command.Parameters.AddWithValue("body", response.Body);
        command.Parameters.AddWithValue("location", (object?)response.Location ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The work failed unexpectedly: free the key so the client can retry.</summary>
    public async Task ReleaseAsync(string scopedKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM idempotency_keys WHERE key = @key AND status_code = 0");
        command.Parameters.AddWithValue("key", scopedKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Keys kept past their 24 hours are deleted by <see cref="IdempotencySweepJob"/> in batches of this many.</summary>
    public const int SweepBatch = 5_000;

    /// <summary>Deletes every key past its lifetime, a batch per statement (short locks, an index on expires_at); returns how many.</summary>
    public async Task<long> SweepExpiredAsync(CancellationToken cancellationToken)
    {
        long swept = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                DELETE FROM idempotency_keys WHERE key IN (
                    SELECT key FROM idempotency_keys WHERE expires_at < @now ORDER BY expires_at LIMIT @batch FOR UPDATE SKIP LOCKED)
                """);
            command.Parameters.AddWithValue("now", clock.GetUtcNow());
            command.Parameters.AddWithValue("batch", SweepBatch);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            swept += deleted;
            if (deleted < SweepBatch)
            {
                return swept;
            }
        }
    }
}
