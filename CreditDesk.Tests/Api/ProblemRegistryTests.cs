using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CreditDesk.Tests.Support;
using CreditDesk.Web.Api;

namespace CreditDesk.Tests.Api;

/// <summary>Every problem the API answers is listed at /api/v1/problems, and a response's type URI resolves to its entry.</summary>
public sealed partial class ProblemRegistryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_registry_lists_every_problem_type_once_with_status_title_retryability_and_description()
    {
        using var anonymous = api.Client();

        var list = await ApiFixture.JsonAsync(await anonymous.GetAsync("api/v1/problems"));

        var entries = list.EnumerateArray().ToList();
        Assert.Equal(ProblemsApi.All.Count, entries.Count);
        Assert.Equal(entries.Count, entries.Select(entry => entry.GetProperty("code").GetString()).Distinct().Count());
        Assert.All(entries, entry =>
        {
            Assert.Equal("/api/v1/problems/" + entry.GetProperty("code").GetString(), entry.GetProperty("type").GetString());
            Assert.InRange(entry.GetProperty("status").GetInt32(), 400, 599);
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(entry.GetProperty("description").GetString()));
            Assert.True(entry.GetProperty("retryable").ValueKind is JsonValueKind.True or JsonValueKind.False);
        });
        Assert.True(entries.Single(entry => entry.GetProperty("code").GetString() == "database_unavailable").GetProperty("retryable").GetBoolean());
        Assert.False(entries.Single(entry => entry.GetProperty("code").GetString() == "validation").GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task Each_answered_problems_type_resolves_to_its_entry_with_the_status_and_title_it_was_answered_with()
    {
        using var anonymous = api.Client();
        using var applicant = api.Client(ApiFixture.ApplicantKey);
        using var officer = api.Client(ApiFixture.OfficerKey);
        using var admin = api.Client(ApiFixture.AdminKey);
        var approved = await api.ApplicationInStatusAsync("APPROVED");
        using var notJson = new StringContent("x", System.Text.Encoding.UTF8, "text/plain");
        var answered = new List<HttpResponseMessage>
        {
            await anonymous.GetAsync("api/v1/applications"),
            await applicant.GetAsync($"api/v1/applications/{Guid.NewGuid()}"),
            await applicant.PostAsJsonAsync("api/v1/applications", new { country = "ES" }),
            await applicant.PostAsync("api/v1/applications", notJson),
            await officer.GetAsync("api/v1/api-keys"),
            await admin.PatchAsJsonAsync($"api/v1/applications/{approved}/status", new { status = "PENDING", reason = "back" }),
            await admin.GetAsync($"api/v1/applications/{await api.ApplicationInStatusAsync("PENDING")}/decision"),
        };

        foreach (var response in answered)
        {
            var problem = await ApiFixture.JsonAsync(response);
            var type = problem.GetProperty("type").GetString()!;
            Assert.True(type.StartsWith("/api/v1/problems/", StringComparison.Ordinal), $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode} with type {type}");
            var entry = await ApiFixture.JsonAsync(await anonymous.GetAsync(type.TrimStart('/')));
            Assert.Equal(type, entry.GetProperty("type").GetString());
            Assert.Contains((int)response.StatusCode, entry.GetProperty("statuses").EnumerateArray().Select(status => status.GetInt32()));
            Assert.Equal(problem.GetProperty("title").GetString(), entry.GetProperty("title").GetString());
            response.Dispose();
        }
        using var unknown = await anonymous.GetAsync("api/v1/problems/no_such_problem");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public void Every_problem_code_the_source_answers_with_is_registered()
    {
        var web = Path.Combine(AppProcess.RepositoryRoot, "CreditDesk.Web");
        var infrastructure = Path.Combine(AppProcess.RepositoryRoot, "CreditDesk.Infrastructure");
        var used = Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => CodeUse().Matches(File.ReadAllText(file)).Select(match => match.Groups["code"].Value))
            .Concat(Directory.EnumerateFiles(infrastructure, "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => RejectionUse().Matches(File.ReadAllText(file)).Select(match => match.Groups["code"].Value)))
            .Concat(["invalid_transition"])
            .Distinct()
            .ToList();

        Assert.True(used.Count > 20, $"only {used.Count} codes found: the pattern no longer matches the source");
        Assert.DoesNotContain(used, code => ProblemsApi.Find(code) is null);
    }

    [GeneratedRegex(@"(?:Problem\([^,]+,\s*|Conflict\(|Unprocessable\()""(?<code>[a-z_]+)""")]
    private static partial Regex CodeUse();

    [GeneratedRegex(@"Rejected\(""(?<code>[a-z_]+)""")]
    private static partial Regex RejectionUse();
}
