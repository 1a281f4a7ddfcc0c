using System.Diagnostics;
using System.Globalization;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// SPEC §9 B2: drain a backlog of PENDING applications with an instant bureau and with 50 ms of bureau latency.
/// Not part of <c>./build.sh test</c>; run with <c>./build.sh bench</c>. Results go to the test output and bench/out/.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class DrainBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly int Backlog = int.TryParse(Environment.GetEnvironmentVariable("CREDITDESK_BENCH_BACKLOG"), out var n) ? n : 10_000;
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public async Task Drain_a_backlog_of_pending_applications(int bureauLatencyMs)
    {
        await using (var intake = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" }))
        {
            var submission = intake.Get<ApplicationSubmission>();
            var submitClock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, Backlog), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (_, _) => await submission.SubmitAsync(ApplicationTestData.Colombian()));
            output.WriteLine($"submitted {Backlog} in {submitClock.Elapsed.TotalSeconds:0.00} s ({Backlog / submitClock.Elapsed.TotalSeconds:0} submits/s, 16 in flight)");
        }

        var settings = new Dictionary<string, string?>
        {
            ["Processing:MaxConcurrency"] = Environment.GetEnvironmentVariable("CREDITDESK_BENCH_CONCURRENCY") ?? "64",
            ["Processing:BatchSize"] = Environment.GetEnvironmentVariable("CREDITDESK_BENCH_BATCH") ?? "128",
        };
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, settings);
        var clock = Stopwatch.StartNew();
        node.Get<BureauFaultSettings>().Set("CO", new BureauFaults(TimeSpan.FromMilliseconds(bureauLatencyMs), 0));
        await database.WaitUntilDecidedAsync(TimeSpan.FromMinutes(5), Backlog);
        clock.Stop();

        var rate = Backlog / clock.Elapsed.TotalSeconds;
        var once = await database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT application_id FROM application_audit WHERE from_status = 'VALIDATING' GROUP BY application_id HAVING count(*) = 1) x");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"B2 drain {Backlog} PENDING, bureau {bureauLatencyMs} ms: {clock.Elapsed.TotalSeconds:0.00} s, {rate:0} decisions/s, decided exactly once: {once}/{Backlog}");
        await BenchResults.RecordAsync(output, "drain.txt", line);
        Assert.Equal(Backlog, once);
    }
}
