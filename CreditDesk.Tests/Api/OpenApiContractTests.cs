using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>
/// The OpenAPI document against the API itself: every operation it lists is called the ways a client gets wrong (no
/// key, each role's key, an unknown id, an empty or a non-JSON body), and every status the API answers with must be
/// one the document lists for that operation. A new answer nobody documented fails here.
/// </summary>
public sealed partial class OpenApiContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_status_an_operation_answers_to_a_wrong_call_is_one_its_documentation_lists()
    {
        using var anonymous = api.Client();
        var document = await ApiFixture.JsonAsync(await anonymous.GetAsync("openapi/v1.json"));
        var undocumented = new List<string>();
        var calls = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var documented = operation.Value.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToHashSet();
                var url = Parameter().Replace(path.Name.TrimStart('/'), match => Example(match.Groups[1].Value));
                foreach (var (probe, request) in Probes(method, url))
                {
                    using var _ = request;
                    using var client = probe.Key is null ? api.Client() : api.Client(probe.Key);
                    using var response = await client.SendAsync(request);
                    calls++;
                    var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!documented.Contains(status) && !documented.Contains("default"))
                    {
                        undocumented.Add($"{operation.Name.ToUpperInvariant()} {path.Name} ({probe.Name}) answered {status}; documented: {string.Join(", ", documented.Order())}");
                    }
                }
            }
        }

        Assert.True(calls > 100, $"only {calls} calls: the document lists too few operations");
        Assert.True(undocumented.Count == 0, string.Join("\n", undocumented));
    }

    [Fact]
    public async Task Every_operation_has_its_own_operation_id_a_generated_client_names_its_method_after()
    {
        using var anonymous = api.Client();
        var document = await ApiFixture.JsonAsync(await anonymous.GetAsync("openapi/v1.json"));
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (
                Name: $"{operation.Name.ToUpperInvariant()} {path.Name}",
                Id: operation.Value.TryGetProperty("operationId", out var id) ? id.GetString() : null)))
            .ToList();

        Assert.Empty(operations.Where(operation => string.IsNullOrEmpty(operation.Id)).Select(operation => operation.Name));
        Assert.Empty(operations.GroupBy(operation => operation.Id).Where(same => same.Count() > 1).Select(same => same.Key));
        Assert.All(operations, operation => Assert.Matches("^[A-Z][A-Za-z]+$", operation.Id));
    }

    [Fact]
    public async Task The_document_says_which_operations_take_an_API_key_which_the_banks_signature_and_which_nothing()
    {
        using var anonymous = api.Client();
        var document = await ApiFixture.JsonAsync(await anonymous.GetAsync("openapi/v1.json"));
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        string[] Security(string path, string method) => document.GetProperty("paths").GetProperty(path).GetProperty(method).TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name)).ToArray()
            : [];

        Assert.Equal("bearer", schemes.GetProperty("api_key").GetProperty("scheme").GetString());
        Assert.Equal("header", schemes.GetProperty("bank_signature").GetProperty("in").GetString());
        Assert.Equal(["api_key"], Security("/api/v1/applications", "post"));
        Assert.Equal(["api_key"], Security("/api/v1/api-keys", "get"));
        Assert.Equal(["bank_signature"], Security("/api/v1/webhooks/bank-confirmation", "post"));
        Assert.Empty(Security("/api/v1/problems", "get"));
        // The database being away is a 503 problem for everything that reads it, and the schema it names exists.
        var unavailable = document.GetProperty("paths").GetProperty("/api/v1/applications").GetProperty("post").GetProperty("responses").GetProperty("503");
        Assert.EndsWith("/ProblemDetails", unavailable.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/api/v1/problems").GetProperty("get").GetProperty("responses").TryGetProperty("503", out _));
        // Every 201 documents its Location, and the API sends one.
        var createdHeaders = document.GetProperty("paths").GetProperty("/api/v1/applications").GetProperty("post").GetProperty("responses")
            .GetProperty("201").GetProperty("headers");
        Assert.True(createdHeaders.TryGetProperty("Location", out _));
        using var applicant = api.Client(ApiFixture.ApplicantKey);
        using var createdResponse = await applicant.PostAsync("api/v1/applications", new StringContent(
            $$"""{"country":"CO","full_name":"Ana Ruiz","document":"{{CreditDesk.Tests.Infrastructure.ApplicationTestData.NextCedula()}}","amount":"5000000","monthly_income":"4000000","term_months":24}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, createdResponse.StatusCode);
        Assert.NotNull(createdResponse.Headers.Location);
        // What the document says is what happens: the API-key operations refuse a call without one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("api/v1/problems")).StatusCode);
    }

    private sealed record Probe(string Name, string? Key);

    private static readonly Probe[] Callers =
    [
        new("no key", null), new("applicant", ApiFixture.ApplicantKey), new("officer", ApiFixture.OfficerKey), new("admin", ApiFixture.AdminKey),
    ];

    private static IEnumerable<(Probe Probe, HttpRequestMessage Request)> Probes(HttpMethod method, string url)
    {
        var hasBody = method == HttpMethod.Post || method == HttpMethod.Patch || method == HttpMethod.Put;
        foreach (var caller in Callers)
        {
            var request = new HttpRequestMessage(method, url);
            if (hasBody)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }
            yield return (caller with { Name = caller.Name + (hasBody ? ", empty JSON" : "") }, request);
        }
        if (hasBody)
        {
            yield return (new Probe("admin, text/plain", ApiFixture.AdminKey),
                new HttpRequestMessage(method, url) { Content = new StringContent("hello", Encoding.UTF8, "text/plain") });
            yield return (new Probe("admin, malformed JSON", ApiFixture.AdminKey),
                new HttpRequestMessage(method, url) { Content = new StringContent("{\"status\": ", Encoding.UTF8, "application/json") });
        }
    }

    /// <summary>A value for a path parameter: ids that exist nowhere, codes that exist (so the probe reaches the handler).</summary>
    private static string Example(string name) => name switch
    {
        "code" or "country" => "CO",
        _ => Guid.NewGuid().ToString(),
    };

    [GeneratedRegex(@"\{([^}:]+)(:[^}]*)?\}")]
    private static partial Regex Parameter();
}
