using System.Diagnostics;
using System.Net.Sockets;

namespace CreditDesk.Tests.Support;

/// <summary>
/// The deployment's own <c>deploy/nginx.conf</c>, templated for loopback ports (the compose service names become
/// 127.0.0.1 ports), run by Debian's nginx in front of app processes on this machine.
/// </summary>
public sealed class LocalNginx : IAsyncDisposable
{
    private readonly string folder;
    private Process? process;

    private LocalNginx(string folder, int port)
    {
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static string Executable =>
        Environment.GetEnvironmentVariable("CREDITDESK_NGINX") is { Length: > 0 } configured ? configured : "/usr/sbin/nginx";

    /// <summary>Renders the site for these upstream ports (in this order) and starts nginx.</summary>
    public static async Task<LocalNginx> StartAsync(params int[] upstreamPorts)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"nginx was not found at {Executable}: ./build.sh test installs it (apt-get install -y nginx).");
        }
        var folder = Directory.CreateTempSubdirectory("creditdesk-nginx-").FullName;
        // Workers run as 'nobody' when the master is root: they must be able to write their buffers.
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("777", 8));
        }
        var nginx = new LocalNginx(folder, TestEnvironment.FreeTcpPort());
        await nginx.RenderAndStartAsync(upstreamPorts);
        return nginx;
    }

    /// <summary>Stops nginx and starts it again with the upstreams in another order.</summary>
    public async Task RestartAsync(params int[] upstreamPorts)
    {
        await StopAsync();
        await RenderAndStartAsync(upstreamPorts);
    }

    /// <summary>The compose file's site, with each "creditdesk-N:8080" upstream replaced by a loopback port.</summary>
    public static string RenderSite(string template, int listenPort, IReadOnlyList<int> upstreamPorts)
    {
        var site = template.Replace("listen 80;", $"listen 127.0.0.1:{listenPort};", StringComparison.Ordinal);
        for (var index = 0; index < upstreamPorts.Count; index++)
        {
            var service = $"creditdesk-{index + 1}:8080";
            if (!site.Contains(service, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"deploy/nginx.conf has no upstream {service}");
            }
            site = site.Replace(service, $"127.0.0.1:{upstreamPorts[index]}", StringComparison.Ordinal);
        }
        return site;
    }

    private async Task RenderAndStartAsync(IReadOnlyList<int> upstreamPorts)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppProcess.RepositoryRoot, "deploy", "nginx.conf"));
        await File.WriteAllTextAsync(Path.Combine(folder, "site.conf"), RenderSite(template, Port, upstreamPorts));
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/site.conf;
            }
            """);
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private async Task StopAsync()
    {
        if (process is null || process.HasExited)
        {
            return;
        }
        await AppProcess.TerminateAsync(process.Id);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(folder, recursive: true);
    }
}
