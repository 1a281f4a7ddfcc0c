using System.Globalization;
using CreditDesk.Tests.Chaos;
using CreditDesk.Tests.Support;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// What one more signed-in officer costs a node: resident memory of an app process before and after 40 Blazor circuits
/// on the live grid (each its own browser context). Sizes the "circuits per node" note in the README.
/// Run with <c>./build.sh bench memory</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class CircuitMemoryBenchmark(ITestOutputHelper output) : DatabaseAndBrowser
{
    private const int Circuits = 40;

    [Fact]
    public async Task Resident_memory_per_live_grid_circuit()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Seed:SampleApplications"] = "true",
            ["RateLimits:sign-in:PermitLimit"] = "100000",
        };
        for (var run = 1; run <= BenchResults.Runs; run++)
        {
            // A fresh process each run: a heap that already grew (and may compact) in an earlier run says little.
            await using var node = AppProcess.Start(Database.ConnectionString, $"memory-{run}", settings);
            await node.WaitUntilReadyAsync();
            await ChaosData.WaitUntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications") > 0,
                TimeSpan.FromSeconds(30), "sample data");

            // One circuit first, so the baseline includes everything the first page load brings in (JIT, caches, pools).
            var pages = new List<BrowserPage> { await OpenGridAsync(node) };
            await Task.Delay(2_000);
            var before = node.ResidentBytes();
            for (var i = 1; i <= Circuits; i++)
            {
                pages.Add(await OpenGridAsync(node));
            }
            await Task.Delay(3_000);
            var after = node.ResidentBytes();
            var perCircuit = (after - before) / (double)Circuits / (1024 * 1024);
            await BenchResults.MeasuredAsync(output, "M1", $"resident memory per live-grid circuit ({Circuits} circuits)", "per circuit", run, perCircuit, "MiB");
            await BenchResults.NoteAsync(output, "memory.txt", string.Create(CultureInfo.InvariantCulture,
                $"M1 run {run}: RSS {before / 1048576.0:0} MiB with 1 circuit, {after / 1048576.0:0} MiB with {Circuits + 1}: {perCircuit:0.00} MiB per circuit"));
            foreach (var page in pages)
            {
                await page.DisposeAsync();
            }
        }
    }

    private async Task<BrowserPage> OpenGridAsync(AppProcess node)
    {
        var page = await Browser.OpenAsync(node.BaseAddress);
        await page.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        return page;
    }
}
