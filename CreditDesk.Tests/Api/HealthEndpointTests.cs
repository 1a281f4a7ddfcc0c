using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Tests.Support;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Tests.Api;

public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Ready_answers_200_once_the_database_is_up_and_migrated()
    {
        await using var app = new AppHost(database.ConnectionString);
        await app.StartAndWaitUntilReadyAsync();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var ready = await http.GetAsync("health/ready");
        using var live = await http.GetAsync("health/live");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var known = typeof(CreditDeskDbContext).Assembly.GetTypes().Count(t => t.GetCustomAttributes(typeof(MigrationAttribute), false).Length > 0);
        Assert.Equal(known, await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }

    [Fact]
    public async Task Ready_answers_503_quickly_when_the_database_port_is_closed_while_live_stays_200()
    {
        var closedPort = TestEnvironment.FreeTcpPort();
        await using var app = new AppHost($"Host=127.0.0.1;Port={closedPort};Database=nothing;Username=postgres;Timeout=3");
        app.Start();
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

        var stopwatch = Stopwatch.StartNew();
        using var ready = await http.GetAsync("health/ready");
        stopwatch.Stop();
        using var live = await http.GetAsync("health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"ready took {stopwatch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task With_the_database_unreachable_an_API_call_answers_503_with_Retry_After_and_live_stays_200_even_with_a_key()
    {
        var closedPort = TestEnvironment.FreeTcpPort();
        await using var app = new AppHost($"Host=127.0.0.1;Port={closedPort};Database=nothing;Username=postgres;Timeout=2");
        app.Start();
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cdk_some_key_that_cannot_be_checked");

        using var live = await http.GetAsync("health/live");
        using var list = await http.GetAsync("api/v1/applications");
        var problem = await list.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        Assert.NotNull(list.Headers.RetryAfter);
        Assert.Contains("database_unavailable", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_database_unreachable_every_operation_documenting_503_answers_it_and_the_others_answer_from_memory()
    {
        var closedPort = TestEnvironment.FreeTcpPort();
        await using var app = new AppHost($"Host=127.0.0.1;Port={closedPort};Database=nothing;Username=postgres;Timeout=2");
        app.Start();
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        using var document = JsonDocument.Parse(await http.GetStringAsync("openapi/v1.json"));
        var wrong = new List<string>();
        var unavailable = 0;
        foreach (var (method, path, url, operation) in OpenApiOperations.All(document.RootElement))
        {
            using var request = new HttpRequestMessage(method, url);
            // A key or a bank signature that can only be checked against the database.
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cdk_admin_key_that_cannot_be_checked");
            request.Headers.Add("X-CreditDesk-Signature", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},kid=bk_0123456789abcdef,v1={new string('a', 64)}");
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }
            using var response = await http.SendAsync(request);
            var documents503 = operation.GetProperty("responses").TryGetProperty("503", out _);
            var status = (int)response.StatusCode;
            if (documents503 ? status != 503 || response.Headers.RetryAfter is null : status >= 500)
            {
                wrong.Add($"{method} {path}: {status}{(documents503 ? ", documented 503 with Retry-After" : "")}");
            }
            unavailable += documents503 ? 1 : 0;
        }

        Assert.True(unavailable > 40, $"only {unavailable} operations document 503");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
