using System.Text.Json;
using System.Text.RegularExpressions;

namespace CreditDesk.Tests.Support;

/// <summary>The operations an OpenAPI document lists, each with a URL to call it at: what the contract tests walk.</summary>
public static partial class OpenApiOperations
{
    /// <summary>
    /// Every operation with its method, its documented path and a callable URL: each path parameter filled by
    /// <paramref name="parameter"/> (by its name), or by <see cref="Example"/>.
    /// </summary>
    public static IEnumerable<(HttpMethod Method, string Path, string Url, JsonElement Operation)> All(JsonElement document, Func<string, string>? parameter = null) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(operation => (
            new HttpMethod(operation.Name.ToUpperInvariant()), path.Name,
            Parameter().Replace(path.Name.TrimStart('/'), match => (parameter ?? Example)(match.Groups[1].Value)), operation.Value)));

    /// <summary>A value for a path parameter: ids that exist nowhere, codes that exist (so the probe reaches the handler).</summary>
    public static string Example(string name) => name switch
    {
        "code" or "country" => "CO",
        "deliveryId" => "9223372036854775807",
        _ => Guid.NewGuid().ToString(),
    };

    /// <summary>Whether the operation takes a multipart form (the document upload) rather than JSON.</summary>
    public static bool IsMultipart(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("multipart/form-data", out _);

    [GeneratedRegex(@"\{([^}:]+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
