using System.Diagnostics;
using System.Globalization;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// SPEC §9 B2: drain a backlog of 20 000 PENDING applications with an instant bureau and with 50 ms of bureau latency,
/// each run on a fresh database; checks that every application was decided exactly once. Run with <c>./build.sh bench b2</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class DrainBenchmark(ITestOutputHelper output)
{
    private static readonly int Backlog = int.TryParse(Environment.GetEnvironmentVariable("CREDITDESK_BENCH_BACKLOG"), out var n) ? n : 20_000;

    [Theory]
    [InlineData(0, ">= 1000")]
    [InlineData(50, ">= 400")]
    public async Task Drain_a_backlog_of_pending_applications(int bureauLatencyMs, string target)
    {
        for (var run = 1; run <= BenchResults.Runs; run++)
        {
            var database = new PostgresDatabase();
            await database.InitializeAsync();
            try
            {
                await RunAsync(database, bureauLatencyMs, target, run);
            }
            finally
            {
                await database.DisposeAsync();
            }
        }
    }

    private async Task RunAsync(PostgresDatabase database, int bureauLatencyMs, string target, int run)
    {
        await using (var intake = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" }))
        {
            var submission = intake.Get<ApplicationSubmission>();
            await Parallel.ForEachAsync(Enumerable.Range(0, Backlog), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (_, _) => await submission.SubmitAsync(ApplicationTestData.Colombian()));
        }
        await database.ExecuteAsync("VACUUM ANALYZE");

        var settings = new Dictionary<string, string?>
        {
            ["Processing:MaxConcurrency"] = Environment.GetEnvironmentVariable("CREDITDESK_BENCH_CONCURRENCY") ?? "64",
            ["Processing:BatchSize"] = Environment.GetEnvironmentVariable("CREDITDESK_BENCH_BATCH") ?? "128",
            ["Bureaus:Faults:CO:Latency"] = TimeSpan.FromMilliseconds(bureauLatencyMs).ToString(),
        };
        var clock = Stopwatch.StartNew();
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, settings);
        await database.WaitUntilDecidedAsync(TimeSpan.FromMinutes(5), Backlog);
        clock.Stop();

        var once = await database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT application_id FROM application_audit WHERE from_status = 'VALIDATING' GROUP BY application_id HAVING count(*) = 1) x");
        var what = bureauLatencyMs == 0 ? $"drain {Backlog} PENDING, instant bureau" : $"drain {Backlog} PENDING, {bureauLatencyMs} ms bureau";
        await BenchResults.MeasuredAsync(output, "B2", what, "throughput", run, Backlog / clock.Elapsed.TotalSeconds, "decisions/s", target);
        await BenchResults.NoteAsync(output, "b2.txt", string.Create(CultureInfo.InvariantCulture,
            $"B2 run {run}, {what}: {clock.Elapsed.TotalSeconds:0.00} s (node start included), decided exactly once: {once}/{Backlog}"));
        Assert.Equal(Backlog, once);
    }
}
