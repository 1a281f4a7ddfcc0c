using Npgsql;

namespace CreditDesk.Infrastructure.Pii;

/// <summary>
/// Re-encrypts personal data written under older keys with the active key, a batch at a time, while the system runs:
/// rows are locked with SKIP LOCKED so processing is never blocked for long, and every row stays readable throughout
/// (old rows with their old key until they are rewritten).
/// </summary>
public sealed class PiiKeyRotation(NpgsqlDataSource dataSource, PiiCipher cipher)
{
    public async Task<int> RotateAsync(int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var rotated = await RotateBatchAsync(batchSize, cancellationToken);
            total += rotated;
            if (rotated == 0)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// One batch of every table that holds personal data: the application's name and document, review notes,
    /// document requests, review requests (statement, and the outcome's explanation once given), uploaded files (up to 10 MiB each, so a few at a time whatever the batch size),
    /// outgoing webhook endpoints' and banks' signing secrets (not personal data, but under the same keys), and banks' contacts.
    /// </summary>
    private async Task<int> RotateBatchAsync(int batchSize, CancellationToken cancellationToken) =>
        await RotateAsync("credit_applications", ["full_name_cipher", "document_cipher"], batchSize, cancellationToken)
        + await RotateAsync("application_notes", ["text_cipher"], batchSize, cancellationToken)
        + await RotateAsync("document_requests", ["message_cipher"], batchSize, cancellationToken)
        + await RotateAsync("review_requests", ["statement_cipher"], batchSize, cancellationToken, whereAlso: "explanation_cipher IS NULL")
        + await RotateAsync("review_requests", ["statement_cipher", "explanation_cipher"], batchSize, cancellationToken, whereAlso: "explanation_cipher IS NOT NULL")
        + await RotateAsync("application_documents", ["content_cipher"], Math.Min(batchSize, 8), cancellationToken)
        + await RotateAsync("webhook_endpoints", ["secret_cipher"], batchSize, cancellationToken, whereAlso: "previous_secret_cipher IS NULL")
        + await RotateAsync("webhook_endpoints", ["secret_cipher", "previous_secret_cipher"], batchSize, cancellationToken, whereAlso: "previous_secret_cipher IS NOT NULL")
        + await RotateAsync("bank_keys", ["secret_cipher"], batchSize, cancellationToken)
        + await RotateAsync("banks", ["contact_cipher"], batchSize, cancellationToken, whereAlso: "contact_cipher IS NOT NULL");

    /// <summary>One batch of one table's encrypted columns (sharing its <c>pii_key_id</c>), locked with SKIP LOCKED and rewritten under the active key.</summary>
    private async Task<int> RotateAsync(string table, string[] columns, int batchSize, CancellationToken cancellationToken, string whereAlso = "TRUE")
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, byte[][] Plain)>();
        await using (var select = new NpgsqlCommand(
            $"SELECT id, pii_key_id, {string.Join(", ", columns)} FROM {table} WHERE pii_key_id <> @active AND {whereAlso} LIMIT @batch FOR UPDATE SKIP LOCKED", connection, transaction))
        {
            select.Parameters.AddWithValue("active", cipher.ActiveKeyId);
            select.Parameters.AddWithValue("batch", batchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var keyId = reader.GetString(1);
                rows.Add((reader.GetGuid(0), columns.Select((_, index) => cipher.DecryptBytes(keyId, reader.GetFieldValue<byte[]>(2 + index))).ToArray()));
            }
        }
        var assignments = string.Join(", ", columns.Select((column, index) => $"{column} = @c{index}"));
        foreach (var (id, plain) in rows)
        {
            await using var update = new NpgsqlCommand($"UPDATE {table} SET {assignments}, pii_key_id = @key WHERE id = @id", connection, transaction);
            for (var index = 0; index < columns.Length; index++)
            {
                update.Parameters.AddWithValue($"c{index}", cipher.EncryptBytes(plain[index]).Data);
            }
            update.Parameters.AddWithValue("key", cipher.ActiveKeyId);
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }
}
