using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Pii;
using Npgsql;

namespace CreditDesk.Infrastructure.Applications;

public sealed record SupportingDocument(
    Guid Id, Guid ApplicationId, string Kind, string MediaType, long SizeBytes, string UploadedBy, DateTimeOffset UploadedAt,
    string? VerifiedBy, DateTimeOffset? VerifiedAt);

public sealed record DocumentRequest(Guid Id, Guid ApplicationId, string Kind, string Message, string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? FulfilledAt);

public sealed record DocumentContent(SupportingDocument Document, byte[] Bytes);

public abstract record UploadResult
{
    public sealed record Stored(SupportingDocument Document) : UploadResult;

    public sealed record NotFound : UploadResult;

    /// <summary>Not a PDF, PNG or JPEG by its first bytes, whatever its name or declared type.</summary>
    public sealed record UnsupportedType : UploadResult;

    public sealed record TooLarge : UploadResult;

    public sealed record TooMany : UploadResult;

    public sealed record UnknownKind : UploadResult;
}

/// <summary>
/// Supporting documents (payslips, bank statements, identity documents) an applicant attaches to their own
/// application, and the documents officers ask for. Files are recognised by their content (PDF, PNG, JPEG), at most
/// <see cref="MaxBytes"/> each and <see cref="MaxPerApplication"/> per application, and stored encrypted with the PII
/// keys (rotated with them); no file name is kept (names often hold personal data). Callers are scoped like every
/// read: an applicant reaches only their own applications.
/// </summary>
public sealed class SupportingDocuments(NpgsqlDataSource dataSource, ApplicationQueries queries, PiiCipher cipher, TimeProvider clock)
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxPerApplication = 20;

    public static IReadOnlyList<string> Kinds { get; } = ["payslip", "bank_statement", "identity_document"];

    /// <summary>The media type the first bytes say, or null: only what we accept is recognised.</summary>
    public static string? Recognise(ReadOnlySpan<byte> head) =>
        head.StartsWith("%PDF-"u8) ? "application/pdf"
        : head.StartsWith(PngSignature) ? "image/png"
        : head.StartsWith(JpegSignature) ? "image/jpeg"
        : null;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    public static string Extension(string mediaType) => mediaType switch
    {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };

    public async Task<UploadResult> UploadAsync(Guid applicationId, Caller caller, string kind, byte[] bytes, CancellationToken cancellationToken)
    {
        if (!Kinds.Contains(kind))
        {
            return new UploadResult.UnknownKind();
        }
        if (bytes.LongLength > MaxBytes)
        {
            return new UploadResult.TooLarge();
        }
        if (Recognise(bytes) is not { } mediaType)
        {
            return new UploadResult.UnsupportedType();
        }
        if (await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is null)
        {
            return new UploadResult.NotFound();
        }
        var encrypted = cipher.EncryptBytes(bytes);
        var document = new SupportingDocument(Guid.CreateVersion7(), applicationId, kind, mediaType, bytes.LongLength, caller.Id, clock.GetUtcNow(), null, null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The application row is locked so two uploads cannot both be the twentieth.
        await using (var count = new NpgsqlCommand("""
            SELECT count(*) FROM application_documents WHERE application_id = (SELECT id FROM credit_applications WHERE id = @id FOR UPDATE)
            """, connection, transaction))
        {
            count.Parameters.AddWithValue("id", applicationId);
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= MaxPerApplication)
            {
                return new UploadResult.TooMany();
            }
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO application_documents (id, application_id, kind, media_type, size_bytes, content_cipher, pii_key_id, uploaded_by, uploaded_at)
            VALUES (@doc, @id, @kind, @type, @size, @content, @key, @by, @at);
            UPDATE document_requests SET fulfilled_at = @at WHERE application_id = @id AND kind = @kind AND fulfilled_at IS NULL;
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("doc", document.Id);
            insert.Parameters.AddWithValue("id", applicationId);
            insert.Parameters.AddWithValue("kind", kind);
            insert.Parameters.AddWithValue("type", mediaType);
            insert.Parameters.AddWithValue("size", document.SizeBytes);
            insert.Parameters.AddWithValue("content", encrypted.Data);
            insert.Parameters.AddWithValue("key", encrypted.KeyId);
            insert.Parameters.AddWithValue("by", caller.Id);
            insert.Parameters.AddWithValue("at", document.UploadedAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new UploadResult.Stored(document);
    }

    /// <summary>The application's documents (no content); null when the caller may not see the application.</summary>
    public async Task<IReadOnlyList<SupportingDocument>?> ListAsync(Guid applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is null)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, media_type, size_bytes, uploaded_by, uploaded_at, verified_by, verified_at FROM application_documents WHERE application_id = @id ORDER BY uploaded_at");
        command.Parameters.AddWithValue("id", applicationId);
        var documents = new List<SupportingDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(new SupportingDocument(reader.GetGuid(0), applicationId, reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return documents;
    }

    /// <summary>One document with its bytes, decrypted; null when it does not exist or the caller may not see its application.</summary>
    public async Task<DocumentContent?> ReadAsync(Guid applicationId, Guid documentId, Caller caller, CancellationToken cancellationToken)
    {
        if (await ListAsync(applicationId, caller, cancellationToken) is not { } documents || documents.FirstOrDefault(d => d.Id == documentId) is not { } document)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand("SELECT pii_key_id, content_cipher FROM application_documents WHERE id = @doc");
        command.Parameters.AddWithValue("doc", documentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DocumentContent(document, cipher.DecryptBytes(reader.GetString(0), reader.GetFieldValue<byte[]>(1)))
            : null;
    }

    /// <summary>Staff mark a document as checked; false when it does not exist.</summary>
    public async Task<bool> VerifyAsync(Guid applicationId, Guid documentId, Caller caller, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE application_documents SET verified_by = @by, verified_at = COALESCE(verified_at, @at) WHERE id = @doc AND application_id = @id");
        command.Parameters.AddWithValue("by", caller.Id);
        command.Parameters.AddWithValue("at", clock.GetUtcNow());
        command.Parameters.AddWithValue("doc", documentId);
        command.Parameters.AddWithValue("id", applicationId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Staff ask the applicant for a kind of document, with a message (encrypted: it may name the person); null when the application does not exist.</summary>
    public async Task<DocumentRequest?> RequestAsync(Guid applicationId, Caller caller, string kind, string message, CancellationToken cancellationToken)
    {
        var request = new DocumentRequest(Guid.CreateVersion7(), applicationId, kind, message.Trim(), caller.Id, clock.GetUtcNow(), null);
        var encrypted = cipher.Encrypt(request.Message);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO document_requests (id, application_id, kind, message_cipher, pii_key_id, requested_by, requested_at)
            SELECT @request, id, @kind, @message, @key, @by, @at FROM credit_applications WHERE id = @id
            """);
        command.Parameters.AddWithValue("request", request.Id);
        command.Parameters.AddWithValue("id", applicationId);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("message", encrypted.Data);
        command.Parameters.AddWithValue("key", encrypted.KeyId);
        command.Parameters.AddWithValue("by", caller.Id);
        command.Parameters.AddWithValue("at", request.RequestedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? request : null;
    }

    /// <summary>What was asked for (the applicant sees these too); null when the caller may not see the application.</summary>
    public async Task<IReadOnlyList<DocumentRequest>?> RequestsAsync(Guid applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await queries.GetSummaryAsync(caller, applicationId, cancellationToken) is null)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, pii_key_id, message_cipher, requested_by, requested_at, fulfilled_at FROM document_requests WHERE application_id = @id ORDER BY requested_at");
        command.Parameters.AddWithValue("id", applicationId);
        var requests = new List<DocumentRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requests.Add(new DocumentRequest(reader.GetGuid(0), applicationId, reader.GetString(1), cipher.Decrypt(reader.GetString(2), reader.GetFieldValue<byte[]>(3)),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return requests;
    }
}
