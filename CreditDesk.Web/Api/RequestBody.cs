using System.Text.Json;

namespace CreditDesk.Web.Api;

/// <summary>Reads a request body up to a limit, whatever the server's own limit; null means it was over.</summary>
public static class RequestBody
{
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

/// <summary>Reading small JSON bodies by hand, so a wrong type becomes a field error rather than a 400 or a 500.</summary>
public static class JsonBody
{
    /// <summary>Strict reading: a repeated key (`"amount":"-5","amount":"1000.00"`) is malformed, not "the last one wins".</summary>
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    /// <summary>Whether the request says its body is JSON (application/json or a +json type); anything else is a 415.</summary>
    public static bool IsJson(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The body as a JSON object, or null when it is not valid JSON or not an object (a 400).</summary>
    public static JsonDocument? ParseObject(byte[] body)
    {
        try
        {
            var document = JsonDocument.Parse(body, Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>A string property, or null when it is missing, not a string, or text that cannot be stored (see <see cref="ReadText"/>).</summary>
    public static string? Text(this JsonElement element, string name) => element.ReadText(name, out var text) == TextRead.Text ? text : null;

    /// <summary>
    /// The one place request JSON strings are read: an escaped unpaired surrogate ("\ud800") cannot become a .NET string
    /// and NUL cannot reach PostgreSQL text, so both are <see cref="TextRead.Unreadable"/> — a client error, never a 500.
    /// </summary>
    public static TextRead ReadText(this JsonElement element, string name, out string? text)
    {
        text = null;
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return TextRead.Missing;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return TextRead.NotAString;
        }
        try
        {
            text = value.GetString();
        }
        catch (InvalidOperationException)
        {
            return TextRead.Unreadable;
        }
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            text = null;
            return TextRead.Unreadable;
        }
        return TextRead.Text;
    }

    public const string UnreadableText = "Must be text without NUL characters or unpaired surrogates.";
}

public enum TextRead
{
    Missing,
    NotAString,
    Unreadable,
    Text,
}
