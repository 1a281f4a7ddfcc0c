using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// SPEC §9 B5: correctly signed webhooks over 32 connections, half of them duplicates, for 15 s against the real app on
/// Kestrel. Sent from .NET rather than wrk, whose Lua has no HMAC. Run with <c>./build.sh bench b5</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class WebhookBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Connections = 32;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Ingest_signed_webhooks_half_of_them_duplicates()
    {
        await using var app = new AppHost(database.ConnectionString, new Dictionary<string, string?>
        {
            ["RateLimits:webhook:PermitLimit"] = "100000000",
            ["Processing:Enabled"] = "false",
        });
        await app.StartAndWaitUntilReadyAsync();
        // One application per connection: events for one application serialise on its row lock, which is not what B5 measures.
        var submission = app.Services.GetRequiredService<ApplicationSubmission>();
        var applications = new Guid[Connections];
        for (var i = 0; i < Connections; i++)
        {
            applications[i] = await submission.SubmitAsync(ApplicationTestData.Colombian());
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections };
        using var http = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        var latencies = new List<double>[Connections];
        var failures = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(Duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(worker => Task.Run(async () =>
        {
            latencies[worker] = [];
            for (var n = 0; Stopwatch.GetTimestamp() < stopAt; n++)
            {
                // Every event goes out twice in a row: the second is a duplicate.
                var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
                {
                    ["event_id"] = $"bench-{worker}-{n / 2}",
                    ["event_type"] = BankEvent.AccountVerified,
                    ["application_id"] = applications[worker],
                    ["provider_reference"] = "bench",
                    ["amount"] = "5000000.00",
                    ["currency"] = "COP",
                    ["occurred_at"] = "2026-11-22T00:00:00Z",
                });
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/webhooks/bank-confirmation") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header,
                    WebhookSignature.Sign(InfrastructureServices.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        clock.Stop();

        var all = latencies.SelectMany(l => l).Order().ToList();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"B5 signed webhooks, {Connections} connections, half duplicates: {all.Count / clock.Elapsed.TotalSeconds:0} req/s, " +
            $"p50 {all[all.Count / 2]:0.0} ms, p99 {all[(int)(all.Count * 0.99)]:0.0} ms, non-200: {failures}");
        await BenchResults.RecordAsync(output, "b5.txt", line);
        Assert.Equal(0, failures);
        // One row per distinct event: half the requests, give or take the pairs cut off at the end.
        var events = await database.ScalarAsync<long>("SELECT count(*) FROM webhook_events");
        Assert.InRange(events, all.Count / 2 - Connections, all.Count / 2 + Connections);
    }
}
