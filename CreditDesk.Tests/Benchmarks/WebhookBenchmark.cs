using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// SPEC §9 B5: wrk sends correctly signed webhooks over 32 connections for 15 s, half of them duplicates, to the real app
/// on Kestrel. wrk's Lua has no HMAC, so the deliveries are signed here first (a file of signature and body per line,
/// each event twice) and bench/b5-webhooks.lua replays them. The app runs as its own process, as in production. Run with <c>./build.sh bench b5</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class WebhookBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Connections = 32;
    private const int Events = 80_000;
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Ingest_signed_webhooks_half_of_them_duplicates()
    {
        var applications = new Guid[256];
        // Set up in process, then measured against the app's own process (server GC, Release), as B1 is.
        await using (var setup = new AppHost(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" }))
        {
            await setup.StartAndWaitUntilReadyAsync();
            // Events spread over many applications: events for one application serialise on its row lock, which is not what B5 measures.
            var submission = setup.Services.GetRequiredService<ApplicationSubmission>();
            for (var i = 0; i < applications.Length; i++)
            {
                applications[i] = await submission.SubmitAsync(ApplicationTestData.Colombian());
            }
            // A bank acts only on the applications it disburses: these are the Colombian test bank's.
            await TestBanks.EnsureAllAsync(setup.Services);
        }
        await database.ExecuteAsync($"UPDATE credit_applications SET bank_id = (SELECT bank_id FROM bank_keys WHERE key_id = '{TestBanks.KeyId("CO")}')");
        // The pool B1's app has (CREDITDESK_BENCH_POOL, 12): 32 deliveries at once share it, as 32 submissions do.
        var pooled = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            MaxPoolSize = int.TryParse(Environment.GetEnvironmentVariable("CREDITDESK_BENCH_POOL"), out var pool) ? pool : 12,
        };
        await using var app = AppProcess.Start(pooled.ConnectionString, "bench-b5", new Dictionary<string, string?>
        {
            ["RateLimits:webhook:PermitLimit"] = "100000000",
            ["Processing:Enabled"] = "false",
        });
        await app.WaitUntilReadyAsync();
        // 15 s of warm-up, as B1: the JIT tiers the hot path for the first seconds under load.
        await Wrk(app.BaseAddress, "-t2", "-c32", "-d15s").RunAsync(await SignedDeliveriesAsync(applications, "warmup"));
        for (var run = 1; run <= BenchResults.Runs; run++)
        {
            var before = await database.ScalarAsync<long>("SELECT count(*) FROM webhook_events");
            var deliveries = await SignedDeliveriesAsync(applications, $"run{run}");
            using var sampling = new CancellationTokenSource();
            var waits = PostgresWaits.SampleAsync(database, sampling.Token);
            var cpu = CpuUse.Now(app.ProcessId);
            var background = await PostgresWaits.BackgroundWorkAsync(database);
            var result = await Wrk(app.BaseAddress, "-t2", $"-c{Connections}", "-d15s", "--latency").RunAsync(deliveries);
            var cpuPerDelivery = CpuUse.Now(app.ProcessId).PerUnitSince(cpu, result.Requests, "delivery")
                + "; " + PostgresWaits.BackgroundSince(background, await PostgresWaits.BackgroundWorkAsync(database));
            await sampling.CancelAsync();
            var recorded = await database.ScalarAsync<long>("SELECT count(*) FROM webhook_events") - before;
            var waited = await waits;

            await BenchResults.NoteAsync(output, "b5.txt", string.Create(CultureInfo.InvariantCulture,
                $"B5 run {run}: {result.Requests} deliveries in 15 s, {result.RequestsPerSecond:0} req/s, p50 {result.P50:0.0} ms, p99 {result.P99:0.0} ms, "
                + $"non-2xx {result.NonSuccess}, socket errors {result.SocketErrors}; {recorded} events recorded; {cpuPerDelivery} (wrk's own not counted); "
                + $"PostgreSQL waits: {waited}"));
            const string What = "signed webhooks, wrk, 32 connections, half duplicates";
            await BenchResults.MeasuredAsync(output, "B5", What, "throughput", run, result.RequestsPerSecond, "req/s", ">= 1.0×B0");
            await BenchResults.MeasuredAsync(output, "B5", What, "p99", run, result.P99, "ms", "<= 30");
            Assert.Equal(0, result.NonSuccess);
            // One row per distinct event: half the deliveries, give or take pairs cut off at the end of the run.
            Assert.InRange(recorded, result.Requests / 2 - Connections, result.Requests / 2 + Connections);
        }
    }

    private static Wrk Wrk(Uri target, params string[] arguments) => new(target, arguments);

    /// <summary>A file of deliveries, each event on two consecutive lines, signed now (the receiver accepts ±300 s).</summary>
    private static async Task<string> SignedDeliveriesAsync(Guid[] applications, string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"creditdesk-b5-{prefix}-{Guid.NewGuid():N}.tsv");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var text = new StringBuilder();
        for (var n = 0; n < Events; n++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["event_id"] = $"bench-{prefix}-{n}",
                ["event_type"] = BankEvent.AccountVerified,
                ["application_id"] = applications[n % applications.Length],
                ["provider_reference"] = "bench",
                ["amount"] = "5000000.00",
                ["currency"] = "COP",
                ["occurred_at"] = "2026-11-22T00:00:00Z",
            });
            var line = TestBanks.Sign(body, "CO", now) + "\t" + Encoding.UTF8.GetString(body);
            text.AppendLine(line).AppendLine(line);
        }
        await File.WriteAllTextAsync(path, text.ToString());
        return path;
    }
}

/// <summary>Runs wrk with bench/b5-webhooks.lua over a file of deliveries and reads its summary.</summary>
internal sealed record Wrk(Uri Target, string[] Arguments)
{
    public async Task<WrkResult> RunAsync(string deliveries)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Arguments.Concat(["-s", Path.Combine(AppProcess.RepositoryRoot, "bench", "b5-webhooks.lua"), Target.ToString()]))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["CREDITDESK_B5_FILE"] = deliveries;
        start.Environment["CREDITDESK_B5_THREADS"] = "2";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: ./build.sh bench installs it");
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(deliveries);
        Assert.True(process.ExitCode == 0, text + await process.StandardError.ReadToEndAsync());
        return WrkResult.Parse(text);
    }
}

internal sealed record WrkResult(long Requests, double RequestsPerSecond, double P50, double P99, long NonSuccess, long SocketErrors)
{
    public static WrkResult Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries);
        string Field(string prefix) => lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";
        var requests = long.Parse(lines.First(l => l.Contains(" requests in ", StringComparison.Ordinal)).Split(' ')[0], CultureInfo.InvariantCulture);
        var perSecond = double.Parse(Field("Requests/sec:").Split(':')[1].Trim(), CultureInfo.InvariantCulture);
        var nonSuccess = Field("Non-2xx or 3xx responses:") is { Length: > 0 } non ? long.Parse(non.Split(':')[1].Trim(), CultureInfo.InvariantCulture) : 0;
        var socketErrors = Field("Socket errors:") is { Length: > 0 } errors
            ? errors.Split(':')[1].Split(',').Sum(part => long.Parse(part.Trim().Split(' ')[1], CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(requests, perSecond, Milliseconds(Field("50%")), Milliseconds(Field("99%")), nonSuccess, socketErrors);
    }

    /// <summary>wrk writes "99%   38.51ms", "850.00us" or "1.20s" (and no distribution without --latency).</summary>
    private static double Milliseconds(string line)
    {
        if (line.Length == 0)
        {
            return double.NaN;
        }
        var value = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return value.EndsWith("us", StringComparison.Ordinal) ? double.Parse(value[..^2], CultureInfo.InvariantCulture) / 1000
            : value.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(value[..^2], CultureInfo.InvariantCulture)
            : double.Parse(value[..^1], CultureInfo.InvariantCulture) * 1000;
    }
}
