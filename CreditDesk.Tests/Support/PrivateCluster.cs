using System.Diagnostics;
using System.Globalization;

namespace CreditDesk.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb in /tmp, trust auth, a free port), for drills that stop and start the
/// server: the shared test cluster must stay up for every other test.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string directory;

    private PrivateCluster(string directory, int port)
    {
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=3;Command Timeout=10";

    private static string BinaryFolder =>
        Environment.GetEnvironmentVariable("CREDITDESK_PG_BIN") is { Length: > 0 } configured ? configured : "/usr/lib/postgresql/15/bin";

    public static async Task<PrivateCluster> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("creditdesk-drill-").FullName;
        var cluster = new PrivateCluster(Path.Combine(folder, "pg"), TestEnvironment.FreeTcpPort());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", folder);
        }
        await PgAsync("initdb", "-D", cluster.directory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await cluster.StartServerAsync();
        await RunAsync(Path.Combine(BinaryFolder, "createdb"), "-h", "127.0.0.1", "-p", cluster.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "creditdesk");
        return cluster;
    }

    public Task StartServerAsync() => PgAsync("pg_ctl", "start", "-w", "-D", directory, "-l", Path.Combine(directory, "server.log"), "-o",
        $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{directory}' -c fsync=off -c synchronous_commit=off");

    /// <summary>Fast shutdown: every connection is cut, as in a failover or a crashed database host.</summary>
    public Task StopServerAsync() => PgAsync("pg_ctl", "stop", "-m", "fast", "-w", "-D", directory);

    private static Task PgAsync(string program, params string[] arguments)
    {
        var path = Path.Combine(BinaryFolder, program);
        return Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
    }
}
