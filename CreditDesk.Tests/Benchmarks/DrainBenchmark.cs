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
/// each run on a fresh database; checks that every application was decided exactly once. B6: the same with two nodes on
/// one database. Run with <c>./build.sh bench b2</c> / <c>b6</c>; what PostgreSQL waited on goes to b2.txt / b6.txt.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class DrainBenchmark(ITestOutputHelper output)
{
    private static readonly int Backlog = int.TryParse(Environment.GetEnvironmentVariable("CREDITDESK_BENCH_BACKLOG"), out var n) ? n : 20_000;

    [Theory]
    [InlineData(0, ">= 0.37×B0")]
    [InlineData(50, ">= 0.12×B0")]
    public async Task Drain_a_backlog_of_pending_applications(int bureauLatencyMs, string target)
    {
        for (var run = 1; run <= BenchResults.Runs; run++)
        {
            var drained = await DrainAsync(bureauLatencyMs, nodes: 1);
            var what = bureauLatencyMs == 0 ? $"drain {Backlog} PENDING, instant bureau" : $"drain {Backlog} PENDING, {bureauLatencyMs} ms bureau";
            await BenchResults.MeasuredAsync(output, "B2", what, "throughput", run, drained.Rate, "decisions/s", target);
            await BenchResults.NoteAsync(output, "b2.txt", string.Create(CultureInfo.InvariantCulture,
                $"B2 run {run}, {what}: {drained.Seconds:0.00} s (node start included), decided exactly once: {drained.Once}/{Backlog}; {drained.Cpu} (node start included); PostgreSQL waits: {drained.Waits}"));
        }
    }

    /// <summary>B6: the same backlog drained by two nodes on one database, against one node in the same run.</summary>
    [Fact]
    public async Task Two_nodes_drain_a_backlog_of_pending_applications()
    {
        for (var run = 1; run <= BenchResults.Runs; run++)
        {
            var one = await DrainAsync(0, nodes: 1);
            var two = await DrainAsync(0, nodes: 2);
            var what = $"drain {Backlog} PENDING on two nodes, one database, instant bureau";
            await BenchResults.MeasuredAsync(output, "B6", what, "throughput", run, two.Rate, "decisions/s");
            await BenchResults.MeasuredAsync(output, "B6", "two nodes / one node, the same backlog in the same run", "ratio", run, two.Rate / one.Rate, "×");
            await BenchResults.NoteAsync(output, "b6.txt", string.Create(CultureInfo.InvariantCulture,
                $"B6 run {run}: one node {one.Rate:0} decisions/s ({one.Seconds:0.0} s), two nodes {two.Rate:0}/s ({two.Seconds:0.0} s), decided by each: {two.PerNode}; "
                + $"exactly once {two.Once}/{Backlog}; PostgreSQL waits, one node: {one.Waits}; two nodes: {two.Waits}"));
        }
    }

    private sealed record Drained(double Seconds, long Once, string PerNode, string Waits, string Cpu)
    {
        public double Rate => Backlog / Seconds;
    }

    /// <summary>A fresh database with the backlog, drained by <paramref name="nodes"/> nodes; checks exactly-once and samples PostgreSQL's wait events.</summary>
    private static async Task<Drained> DrainAsync(int bureauLatencyMs, int nodes)
    {
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        try
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
            using var sampling = new CancellationTokenSource();
            var waits = PostgresWaits.SampleAsync(database, sampling.Token);
            var cpu = CpuUse.Now();
            var background = await PostgresWaits.BackgroundWorkAsync(database);
            var clock = Stopwatch.StartNew();
            var cpuPerDecision = "";
            var started = await Task.WhenAll(Enumerable.Range(0, nodes).Select(_ => PipelineHost.StartAsync(database.ConnectionString, settings)));
            try
            {
                await database.WaitUntilDecidedAsync(TimeSpan.FromMinutes(5), Backlog);
                clock.Stop();
                cpuPerDecision = CpuUse.Now().PerUnitSince(cpu, Backlog, "decision");
                cpuPerDecision += "; " + PostgresWaits.BackgroundSince(background, await PostgresWaits.BackgroundWorkAsync(database));
            }
            finally
            {
                await sampling.CancelAsync();
                foreach (var node in started)
                {
                    await node.DisposeAsync();
                }
            }

            var once = await database.ScalarAsync<long>(
                "SELECT count(*) FROM (SELECT application_id FROM application_audit WHERE from_status = 'VALIDATING' GROUP BY application_id HAVING count(*) = 1) x");
            var perNode = string.Join(", ", await database.ListAsync(
                "SELECT count(*) FROM application_audit WHERE from_status = 'VALIDATING' GROUP BY actor_id ORDER BY 1 DESC", r => r.GetInt64(0)));
            Assert.Equal(Backlog, once);
            return new Drained(clock.Elapsed.TotalSeconds, once, perNode, await waits, cpuPerDecision);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
