using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace CreditDesk.Tests.Support;

/// <summary>
/// The built CreditDesk.Web as an operating-system process of its own (what a deployment runs): it can be killed with
/// SIGKILL, stopped with SIGTERM, put behind nginx, and its memory read from /proc.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private AppProcess(Process process, int port, string nodeId)
    {
        this.process = process;
        Port = port;
        NodeId = nodeId;
    }

    /// <summary>The development applicant's API key (appsettings.Development.json): nodes run in Development seed it.</summary>
    public const string DevelopmentApplicantKey = "cdk_dev_applicant_6QmN3vR8tY2wK9pL4sD7fH1j";

    public const string DevelopmentAdminKey = "cdk_dev_admin_Ha6Jk9Lm2Np5Qr8St1Uv4Wx7Y";

    public int Port { get; }

    public string NodeId { get; }

    public int ProcessId => process.Id;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote so far (its logs), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The web project's own build output, in the configuration the tests were built with.</summary>
    public static string WebAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(RepositoryRoot, "CreditDesk.Web", "bin", configuration, "net10.0", "CreditDesk.Web.dll");
        }
    }

    /// <summary>Starts a node with the shared test settings (database, PII keys, webhook secrets) plus <paramref name="overrides"/>.</summary>
    public static AppProcess Start(string connectionString, string nodeId, IDictionary<string, string?>? overrides = null, int? port = null)
    {
        var listen = port ?? TestEnvironment.FreeTcpPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepositoryRoot, "CreditDesk.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WebAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{listen}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Node__Id"] = nodeId;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in InfrastructureServices.Settings(connectionString).Concat(overrides ?? new Dictionary<string, string?>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process, listen, nodeId);
        process.OutputDataReceived += (_, line) => app.Append(line.Data);
        process.ErrorDataReceived += (_, line) => app.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>An HTTP client for this node, signed in with an API key.</summary>
    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Node {NodeId} exited with {process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Node {NodeId} was not ready in time:{Environment.NewLine}{Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crashed machine or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            // Straight to kill(2) with SIGKILL; walking the process tree first would give the app tens of milliseconds more.
            process.Kill();
        }
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the graceful shutdown (SIGKILL after the timeout).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (process.HasExited)
        {
            return;
        }
        await TerminateAsync(process.Id);
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>Sends SIGTERM (.NET's Process.Kill only sends SIGKILL).</summary>
    internal static async Task TerminateAsync(int processId)
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Resident memory of the process in bytes, from /proc (what the kernel charges for it).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("VmRSS not found");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        process.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CreditDesk.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("CreditDesk.sln not found above " + AppContext.BaseDirectory);
    }
}
