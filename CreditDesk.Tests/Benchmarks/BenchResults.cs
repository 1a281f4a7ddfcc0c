using Xunit.Abstractions;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>Where benchmark results go: the test output and one text file per benchmark under CREDITDESK_BENCH_OUT (bench/out/).</summary>
internal static class BenchResults
{
    public static async Task RecordAsync(ITestOutputHelper output, string file, string line)
    {
        output.WriteLine(line);
        var folder = Environment.GetEnvironmentVariable("CREDITDESK_BENCH_OUT") ?? Path.Combine(Path.GetTempPath(), "creditdesk-bench");
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(Path.Combine(folder, file), line + Environment.NewLine);
    }
}
