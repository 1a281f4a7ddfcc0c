using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Security;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CreditDesk.Web.Api;

/// <summary>
/// Supporting documents on <c>/api/v1/applications/{id}</c>: applicants upload to their own applications (multipart,
/// fields <c>kind</c> and <c>file</c>), staff verify them and ask for more (<c>document-requests</c>). Downloads are
/// attachments, never rendered inline.
/// </summary>
public static class DocumentsApi
{
    /// <summary>The file's limit plus room for the multipart envelope; the file itself is checked against <see cref="SupportingDocuments.MaxBytes"/>.</summary>
    private const long UploadRequestLimit = SupportingDocuments.MaxBytes + 256 * 1024;

    public static RouteGroupBuilder MapDocumentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/applications/{id:guid}").RequireAuthorization(Policies.AnyRole).WithTags("Documents")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("documents", UploadAsync)
            // Machines send an API key; a browser's cookie write is checked by its Origin (CrossSiteWrites), as for every API write.
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(UploadRequestLimit))
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("UploadDocument");
        group.MapGet("documents", ListAsync).WithName("ListDocuments");
        group.MapGet("documents/{documentId:guid}/content", DownloadAsync).Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .WithName("DownloadDocument");
        group.MapPost("documents/{documentId:guid}/verify", VerifyAsync).RequireAuthorization(Policies.Staff).WithName("VerifyDocument");
        group.MapGet("document-requests", RequestsAsync).WithName("ListDocumentRequests");
        group.MapPost("document-requests", RequestAsync).RequireAuthorization(Policies.Staff).ValidatedBody<DocumentRequestBody>()
            .WithMetadata(new RequestSizeLimitAttribute(16 * 1024)).WithName("RequestDocument");
        return group;
    }

    private static async Task<Results<Created<DocumentResponse>, ProblemHttpResult>> UploadAsync(
        Guid id, SignedIn signedIn, [FromForm] string? kind, IFormFile? file, SupportingDocuments documents, CancellationToken cancellationToken)
    {
        if (file is null || kind is null)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                [file is null ? "file" : "kind"] = [file is null ? "Attach the document as the form field \"file\"." : $"Say what it is: {string.Join(", ", SupportingDocuments.Kinds)}."],
            });
        }
        if (file.Length > SupportingDocuments.MaxBytes)
        {
            return ApiProblems.TooLarge(SupportingDocuments.MaxBytes);
        }
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }
        return await documents.UploadAsync(id, signedIn.Caller, kind.Trim().ToLowerInvariant(), bytes, cancellationToken) switch
        {
            UploadResult.Stored stored => TypedResults.Created($"/api/v1/applications/{id}/documents/{stored.Document.Id}", DocumentResponse.From(stored.Document)),
            UploadResult.NotFound => ApiProblems.NotFound($"Application {id}"),
            UploadResult.UnsupportedType => ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_document", "Documents are recognised by their content, not their name; nothing was stored."),
            UploadResult.TooLarge => ApiProblems.TooLarge(SupportingDocuments.MaxBytes),
            UploadResult.TooMany => ApiProblems.Conflict("too_many_documents", $"An application has at most {SupportingDocuments.MaxPerApplication} documents."),
            UploadResult.UnknownKind => ApiProblems.Validation(new Dictionary<string, string[]> { ["kind"] = [$"Kind must be one of {string.Join(", ", SupportingDocuments.Kinds)}."] }),
            _ => throw new InvalidOperationException("Unknown upload result."),
        };
    }

    private static async Task<Results<Ok<List<DocumentResponse>>, ProblemHttpResult>> ListAsync(
        Guid id, SignedIn signedIn, SupportingDocuments documents, CancellationToken cancellationToken) =>
        await documents.ListAsync(id, signedIn.Caller, cancellationToken) is { } list
            ? TypedResults.Ok(list.Select(DocumentResponse.From).ToList())
            : ApiProblems.NotFound($"Application {id}");

    /// <summary>An attachment with the type recognised at upload and a name the desk makes up; the browser is told not to sniff.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid id, Guid documentId, SignedIn signedIn, SupportingDocuments documents, HttpContext context, CancellationToken cancellationToken)
    {
        if (await documents.ReadAsync(id, documentId, signedIn.Caller, cancellationToken) is not { } content)
        {
            return ApiProblems.NotFound($"Document {documentId}");
        }
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(content.Bytes, content.Document.MediaType,
            $"{content.Document.Kind}-{content.Document.Id}.{SupportingDocuments.Extension(content.Document.MediaType)}");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> VerifyAsync(
        Guid id, Guid documentId, SignedIn signedIn, SupportingDocuments documents, CancellationToken cancellationToken) =>
        await documents.VerifyAsync(id, documentId, signedIn.Caller, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"Document {documentId}");

    private static async Task<Results<Ok<List<DocumentRequestResponse>>, ProblemHttpResult>> RequestsAsync(
        Guid id, SignedIn signedIn, SupportingDocuments documents, CancellationToken cancellationToken) =>
        await documents.RequestsAsync(id, signedIn.Caller, cancellationToken) is { } requests
            ? TypedResults.Ok(requests.Select(DocumentRequestResponse.From).ToList())
            : ApiProblems.NotFound($"Application {id}");

    private static async Task<Results<Created<DocumentRequestResponse>, ProblemHttpResult>> RequestAsync(
        Guid id, SignedIn signedIn, DocumentRequestBody body, SupportingDocuments documents, CancellationToken cancellationToken) =>
        await documents.RequestAsync(id, signedIn.Caller, body.Kind!, body.Message!, cancellationToken) is { } request
            ? TypedResults.Created($"/api/v1/applications/{id}/document-requests/{request.Id}", DocumentRequestResponse.From(request))
            : ApiProblems.NotFound($"Application {id}");
}

/// <summary><c>POST /api/v1/applications/{id}/document-requests</c>.</summary>
public sealed record DocumentRequestBody(string? Kind, string? Message)
{
    public const int MaxMessageLength = 1_000;
}

public sealed class DocumentRequestBodyValidator : AbstractValidator<DocumentRequestBody>
{
    public DocumentRequestBodyValidator()
    {
        RuleFor(body => body.Kind).Must(kind => kind is not null && SupportingDocuments.Kinds.Contains(kind))
            .WithMessage($"Kind must be one of {string.Join(", ", SupportingDocuments.Kinds)}.").OverridePropertyName("kind");
        RuleFor(body => body.Message).Must(message => !string.IsNullOrWhiteSpace(message)).WithMessage("Tell the applicant what you need.")
            .StorableText(DocumentRequestBody.MaxMessageLength, $"A message has at most {DocumentRequestBody.MaxMessageLength} characters.").OverridePropertyName("message");
    }
}

public sealed record DocumentResponse(Guid Id, string Kind, string MediaType, long SizeBytes, DateTime UploadedAt, bool Verified, DateTime? VerifiedAt)
{
    public static DocumentResponse From(SupportingDocument d) => new(d.Id, d.Kind, d.MediaType, d.SizeBytes, d.UploadedAt.UtcDateTime, d.VerifiedAt is not null, d.VerifiedAt?.UtcDateTime);
}

public sealed record DocumentRequestResponse(Guid Id, string Kind, string Message, DateTime RequestedAt, DateTime? FulfilledAt)
{
    public static DocumentRequestResponse From(DocumentRequest r) => new(r.Id, r.Kind, r.Message, r.RequestedAt.UtcDateTime, r.FulfilledAt?.UtcDateTime);
}
