using System.Globalization;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Benchmarks;

/// <summary>
/// CPU used by the app under test (this process, or the node process given) and by every PostgreSQL process, from
/// <c>/proc</c>: taken before and after a measured stretch, the difference per unit of work says where the two shared cores went.
/// </summary>
internal readonly record struct CpuUse(double AppSeconds, double PostgresSeconds)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on Linux x86_64 and arm64.

    public static CpuUse Now(int? appProcessId = null)
    {
        var app = Ticks($"/proc/{appProcessId ?? Environment.ProcessId}/stat");
        double postgres = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out _) && ReadOrNull(Path.Combine(directory, "comm"))?.Trim() == "postgres")
            {
                postgres += Ticks(Path.Combine(directory, "stat"));
            }
        }
        return new CpuUse(app / TicksPerSecond, postgres / TicksPerSecond);
    }

    /// <summary>"app 210 µs, PostgreSQL 380 µs per decision" for <paramref name="units"/> units of work since <paramref name="before"/>.</summary>
    public string PerUnitSince(CpuUse before, long units, string unit) => units <= 0 ? "no work measured" : string.Create(CultureInfo.InvariantCulture,
        $"app {(AppSeconds - before.AppSeconds) * 1e6 / units:0} µs, PostgreSQL {(PostgresSeconds - before.PostgresSeconds) * 1e6 / units:0} µs of CPU per {unit}");

    /// <summary>utime + stime of a <c>/proc/PID/stat</c>; 0 for a process that ended meanwhile (its CPU is then missed).</summary>
    private static double Ticks(string statPath)
    {
        var stat = ReadOrNull(statPath);
        if (stat is null)
        {
            return 0;
        }
        // The command name is in parentheses and may hold spaces: the fields are counted after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>What PostgreSQL's busy backends were doing, sampled every 20 ms until stopped.</summary>
internal static class PostgresWaits
{
    /// <summary>Each wait event's share of the samples ("CPU" when a backend waited on nothing), the five largest.</summary>
    public static async Task<string> SampleAsync(PostgresDatabase database, CancellationToken stop)
    {
        var counts = new Dictionary<string, int>();
        var samples = 0;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
             WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
            """, connection);
        while (!stop.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var wait = reader.GetString(0);
                    counts[wait] = counts.GetValueOrDefault(wait) + 1;
                    samples++;
                }
            }
            await Task.Delay(20, CancellationToken.None);
        }
        return samples == 0 ? "none sampled" : string.Join(", ", counts.OrderByDescending(c => c.Value).Take(5)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {100.0 * c.Value / samples:0}%")));
    }

    /// <summary>Checkpoints (of the cluster) and autovacuum or autoanalyze runs (on this database) so far: taken before and after a run, what ran beside it.</summary>
    public static async Task<(long Checkpoints, long Autovacuums)> BackgroundWorkAsync(PostgresDatabase database) => (
        await database.ScalarAsync<long>("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter"),
        await database.ScalarAsync<long>("SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0)::bigint FROM pg_stat_user_tables"));

    public static string BackgroundSince((long Checkpoints, long Autovacuums) before, (long Checkpoints, long Autovacuums) after) =>
        string.Create(CultureInfo.InvariantCulture,
            $"beside it {after.Checkpoints - before.Checkpoints} checkpoint(s) and {after.Autovacuums - before.Autovacuums} autovacuum/autoanalyze run(s)");
}
