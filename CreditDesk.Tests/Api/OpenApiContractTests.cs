using System.Net;
using System.Text;
using System.Text.Json;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>
/// The OpenAPI document against the API itself: every operation it lists is called the ways a client gets wrong (no
/// key, each role's key, an unknown id, an empty or a non-JSON body), and every status the API answers with must be
/// one the document lists for that operation. A new answer nobody documented fails here.
/// </summary>
public sealed class OpenApiContractTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_status_an_operation_answers_to_a_wrong_call_is_one_its_documentation_lists()
    {
        using var anonymous = api.Client();
        var document = await ApiFixture.JsonAsync(await anonymous.GetAsync("openapi/v1.json"));
        var undocumented = new List<string>();
        var calls = 0;
        foreach (var (method, path, url, operation) in OpenApiOperations.All(document))
        {
            var documented = operation.GetProperty("responses").EnumerateObject().Select(response => response.Name).ToHashSet();
            foreach (var (probe, request) in Probes(method, url, OpenApiOperations.IsMultipart(operation)))
            {
                using var _ = request;
                using var client = probe.Key is null ? api.Client() : api.Client(probe.Key);
                using var response = await client.SendAsync(request);
                calls++;
                var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!documented.Contains(status) && !documented.Contains("default"))
                {
                    undocumented.Add($"{method} {path} ({probe.Name}) answered {status}; documented: {string.Join(", ", documented.Order())}");
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

    [Fact]
    public async Task An_address_that_keeps_presenting_unknown_keys_is_answered_429_by_every_operation_that_takes_a_key()
    {
        await using var strict = new AppHost(api.Database.ConnectionString, new Dictionary<string, string?>
        {
            [$"RateLimits:{CreditDesk.Web.Security.ApiKeyFailures.Name}:PermitLimit"] = "1",
        });
        await strict.StartAndWaitUntilReadyAsync();
        using var http = new HttpClient { BaseAddress = strict.BaseAddress };
        var document = await ApiFixture.JsonAsync(await http.GetAsync("openapi/v1.json"));
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cdk_probe_key_nobody_created");
        // The address's one permitted failure.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/api-keys")).StatusCode);
        var wrong = new List<string>();
        var keyed = 0;
        foreach (var (method, path, url, operation) in OpenApiOperations.All(document))
        {
            if (!operation.TryGetProperty("security", out var security) || !security.ToString().Contains(CreditDesk.Web.Api.OpenApiContract.ApiKey, StringComparison.Ordinal))
            {
                continue;
            }
            keyed++;
            using var request = Probes(method, url, OpenApiOperations.IsMultipart(operation)).First().Request;
            request.Headers.Authorization = http.DefaultRequestHeaders.Authorization;
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter is null)
            {
                wrong.Add($"{method} {path}: {(int)response.StatusCode}");
            }
            if (!operation.GetProperty("responses").TryGetProperty("429", out _))
            {
                wrong.Add($"{method} {path}: 429 not documented");
            }
        }

        Assert.True(keyed > 40, $"only {keyed} operations take a key");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_JSON_body_over_an_operations_limit_is_answered_413_before_anything_else_is_read()
    {
        using var anonymous = api.Client();
        var document = await ApiFixture.JsonAsync(await anonymous.GetAsync("openapi/v1.json"));
        // Over every JSON limit (the largest, the bank webhook's, is 1 MiB); a document upload's limit is its file's
        // (DocumentsApiTests sends one too large).
        var oversized = "{\"text\":\"" + new string('a', 1024 * 1024 + 1024) + "\"}";
        var wrong = new List<string>();
        var limited = 0;
        foreach (var (method, path, url, operation) in OpenApiOperations.All(document))
        {
            if (!operation.GetProperty("responses").TryGetProperty("413", out _) || OpenApiOperations.IsMultipart(operation))
            {
                continue;
            }
            limited++;
            // The body is read after authorization. "Expect: 100-continue", as a careful client sends a large body: the
            // server answers 413 from the Content-Length without taking the body (sent anyway, the server may close
            // the connection before the client has finished writing: a broken pipe instead of the answer).
            var status = await FirstLetInAsync(method, url, () => new StringContent(oversized, Encoding.UTF8, "application/json"), expectContinue: true);
            if (status != 413)
            {
                wrong.Add($"{method} {path}: {status}");
            }
        }

        Assert.True(limited >= 10, $"only {limited} operations document 413");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>A body each operation's validation accepts, so the probe reaches the handler (keyed by operation id).</summary>
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["GiveApplicationToBank"] = $$"""{"bank_id":"{{Guid.NewGuid()}}"}""",
        ["ChangeApplicationStatus"] = """{"status":"APPROVED","reason":"Checked the payslips"}""",
        ["ProposeStatusChange"] = """{"status":"APPROVED","reason":"Checked the payslips"}""",
        ["AssignApplication"] = """{"assignee":"me"}""",
        ["AddNote"] = """{"text":"Called the employer"}""",
        ["EditNote"] = """{"text":"Called the employer twice"}""",
        ["DeclineProposal"] = """{"reason":"The payslips do not match"}""",
        ["RequestDocument"] = """{"kind":"payslip","message":"Your last payslip, please"}""",
        ["RequestReview"] = """{"statement":"My income was read wrong"}""",
        ["RecordReviewOutcome"] = """{"outcome":"upheld","explanation":"The income was read right"}""",
        ["CreateLoanProductVersion"] = """{"effective_from":"2027-01-01","min_amount":"1000","max_amount":"50000","min_term_months":6,"max_term_months":60,"bands":[{"up_to_amount":"50000","nominal_annual_rate":"0.09"}],"opening_fee_rate":"0.01"}""",
    };

    [Fact]
    public async Task An_operation_on_something_that_does_not_exist_answers_404_even_when_the_rest_of_the_call_is_right()
    {
        using var anonymous = api.Client();
        var document = await ApiFixture.JsonAsync(await anonymous.GetAsync("openapi/v1.json"));
        var wrong = new List<string>();
        var probed = 0;
        // Ids that exist nowhere; a country code that is none of ours.
        foreach (var (method, path, url, operation) in OpenApiOperations.All(document, name => name switch
        {
            "code" => "ZZ",
            "keyId" => "bk_0000000000000000",
            _ => OpenApiOperations.Example(name),
        }))
        {
            if (!operation.GetProperty("responses").TryGetProperty("404", out _))
            {
                continue;
            }
            probed++;
            var operationId = operation.GetProperty("operationId").GetString()!;
            var status = await FirstLetInAsync(method, url, () => OpenApiOperations.IsMultipart(operation)
                ? new MultipartFormDataContent
                {
                    { new StringContent("payslip"), "kind" },
                    { new ByteArrayContent("%PDF-1.4\n%probe\n"u8.ToArray()), "file", "payslip.pdf" },
                }
                : ValidBodies.TryGetValue(operationId, out var body) ? new StringContent(body, Encoding.UTF8, "application/json") : null);
            if (status != 404)
            {
                wrong.Add($"{method} {path}: {status}");
            }
        }

        Assert.True(probed > 30, $"only {probed} operations document 404");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The status the first of admin, officer and applicant the operation lets in gets (the last one's if none).</summary>
    private async Task<int> FirstLetInAsync(HttpMethod method, string url, Func<HttpContent?> content, bool expectContinue = false)
    {
        var status = 0;
        foreach (var key in new[] { ApiFixture.AdminKey, ApiFixture.OfficerKey, ApiFixture.ApplicantKey })
        {
            using var client = api.Client(key);
            using var request = new HttpRequestMessage(method, url) { Content = content() };
            request.Headers.ExpectContinue = expectContinue;
            using var response = await client.SendAsync(request);
            status = (int)response.StatusCode;
            if (status is not (401 or 403))
            {
                break;
            }
        }
        return status;
    }

    private sealed record Probe(string Name, string? Key);

    private static readonly Probe[] Callers =
    [
        new("no key", null), new("applicant", ApiFixture.ApplicantKey), new("officer", ApiFixture.OfficerKey), new("admin", ApiFixture.AdminKey),
    ];

    private static IEnumerable<(Probe Probe, HttpRequestMessage Request)> Probes(HttpMethod method, string url, bool multipart)
    {
        var hasBody = method == HttpMethod.Post || method == HttpMethod.Patch || method == HttpMethod.Put;
        foreach (var caller in Callers)
        {
            var request = new HttpRequestMessage(method, url);
            if (hasBody)
            {
                request.Content = multipart
                    ? new MultipartFormDataContent { { new ByteArrayContent("%PDF-1.4 probe"u8.ToArray()), "file", "probe.pdf" } }
                    : new StringContent("{}", Encoding.UTF8, "application/json");
            }
            yield return (caller with { Name = caller.Name + (hasBody ? multipart ? ", a small form" : ", empty JSON" : "") }, request);
        }
        if (hasBody)
        {
            // Wrong bodies from every caller: some operations let only applicants in.
            foreach (var caller in Callers.Where(caller => caller.Key is not null))
            {
                yield return (caller with { Name = caller.Name + ", text/plain" },
                    new HttpRequestMessage(method, url) { Content = new StringContent("hello", Encoding.UTF8, "text/plain") });
                yield return (caller with { Name = caller.Name + ", malformed JSON" },
                    new HttpRequestMessage(method, url) { Content = new StringContent("{\"status\": ", Encoding.UTF8, "application/json") });
            }
        }
    }
}
