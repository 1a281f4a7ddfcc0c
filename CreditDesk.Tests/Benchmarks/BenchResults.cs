using System.Globalization;
using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// Where benchmark results go: the test output, and one line per run and metric in <c>$CREDITDESK_BENCH_OUT/runs.tsv</c>
/// (bench/out/), which <c>./build.sh bench</c> turns into medians in bench/results.json and docs/PERFORMANCE.md.
/// </summary>
internal static class BenchResults
{
    /// <summary>How many times each benchmark repeats its measurement (medians of three unless told otherwise).</summary>
    public static int Runs { get; } = int.TryParse(Environment.GetEnvironmentVariable("CREDITDESK_BENCH_RUNS"), out var runs) && runs > 0 ? runs : 3;

    private static string Folder => Environment.GetEnvironmentVariable("CREDITDESK_BENCH_OUT") ?? Path.Combine(Path.GetTempPath(), "creditdesk-bench");

    /// <summary>
    /// One measured value. <paramref name="target"/> is the bound as "&gt;= 1000" or "&lt;= 150" in the metric's unit, or as
    /// a multiple of this bench run's B0 (pgbench of the bare intake transaction) "&gt;= 0.37×B0"; empty when none is set.
    /// </summary>
    public static async Task MeasuredAsync(ITestOutputHelper output, string id, string what, string metric, int run, double value, string unit, string target = "")
    {
        var line = string.Join('\t', id, what, metric, run.ToString(CultureInfo.InvariantCulture),
            value.ToString("0.###", CultureInfo.InvariantCulture), unit, target);
        output.WriteLine(line);
        Directory.CreateDirectory(Folder);
        await File.AppendAllTextAsync(Path.Combine(Folder, "runs.tsv"), line + Environment.NewLine);
    }

    /// <summary>A human line (counts, checks) for the benchmark's own text file.</summary>
    public static async Task NoteAsync(ITestOutputHelper output, string file, string line)
    {
        output.WriteLine(line);
        Directory.CreateDirectory(Folder);
        await File.AppendAllTextAsync(Path.Combine(Folder, file), line + Environment.NewLine);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * percentile))];
}
