namespace CreditDesk.Tests.Generated;

// NSwag 14.7 uses this type for the multipart upload but does not emit it from an OpenAPI 3.1 document; its usual shape.
/// <summary>A file for the generated client's upload operation (<c>POST /applications/{id}/documents</c>).</summary>
public sealed class FileParameter(Stream data, string? fileName = null, string? contentType = null)
{
    public Stream Data { get; } = data;

    public string? FileName { get; } = fileName;

    public string? ContentType { get; } = contentType;
}
