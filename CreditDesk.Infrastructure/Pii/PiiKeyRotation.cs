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
            var rotated = await RotateBatchAsync(batchSize, cancellationToken) + await RotateOthersAsync(batchSize, cancellationToken);
            total += rotated;
            if (rotated == 0)
            {
                return total;
            }
        }
    }

    private async Task<int> RotateBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, string Name, string Document)>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, pii_key_id, full_name_cipher, document_cipher FROM credit_applications
             WHERE pii_key_id <> @active LIMIT @batch FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("active", cipher.ActiveKeyId);
            select.Parameters.AddWithValue("batch", batchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var keyId = reader.GetString(1);
                rows.Add((reader.GetGuid(0),
                    cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(2)),
                    cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(3))));
            }
        }
        foreach (var (id, name, document) in rows)
        {
            var encryptedName = cipher.Encrypt(name);
            var encryptedDocument = cipher.Encrypt(document);
            await using var update = new NpgsqlCommand(
                "UPDATE credit_applications SET full_name_cipher = @name, document_cipher = @document, pii_key_id = @key WHERE id = @id",
                connection, transaction);
            update.Parameters.AddWithValue("name", encryptedName.Data);
            update.Parameters.AddWithValue("document", encryptedDocument.Data);
            update.Parameters.AddWithValue("key", encryptedName.KeyId);
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>Personal data outside the application row (review notes, document requests, uploaded files), the same way.</summary>
    private async Task<int> RotateOthersAsync(int batchSize, CancellationToken cancellationToken) =>
        await RotateColumnAsync("application_notes", "text_cipher", batchSize, cancellationToken)
        + await RotateColumnAsync("document_requests", "message_cipher", batchSize, cancellationToken)
        // Files are up to 10 MiB each: a few at a time, whatever the batch size.
        + await RotateColumnAsync("application_documents", "content_cipher", Math.Min(batchSize, 8), cancellationToken);

    /// <summary>One batch of one encrypted column (with its <c>pii_key_id</c>), locked with SKIP LOCKED and rewritten under the active key.</summary>
    private async Task<int> RotateColumnAsync(string table, string column, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, byte[] Plain)>();
        await using (var select = new NpgsqlCommand(
            $"SELECT id, pii_key_id, {column} FROM {table} WHERE pii_key_id <> @active LIMIT @batch FOR UPDATE SKIP LOCKED", connection, transaction))
        {
            select.Parameters.AddWithValue("active", cipher.ActiveKeyId);
            select.Parameters.AddWithValue("batch", batchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0), cipher.DecryptBytes(reader.GetString(1), reader.GetFieldValue<byte[]>(2))));
            }
        }
        foreach (var (id, plain) in rows)
        {
            var encrypted = cipher.EncryptBytes(plain);
            await using var update = new NpgsqlCommand($"UPDATE {table} SET {column} = @data, pii_key_id = @key WHERE id = @id", connection, transaction);
            update.Parameters.AddWithValue("data", encrypted.Data);
            update.Parameters.AddWithValue("key", encrypted.KeyId);
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }
}
