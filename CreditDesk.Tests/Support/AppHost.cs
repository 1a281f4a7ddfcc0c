using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CreditDesk.Tests.Support;

/// <summary>The real application on a real Kestrel socket (browsers need one), on a free loopback port.</summary>
public sealed class AppHost : WebApplicationFactory<Program>
{
    private readonly string connectionString;
    private readonly IDictionary<string, string?> overrides;
    private readonly Action<IServiceCollection>? configureServices;

    public AppHost(string connectionString, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null)
    {
        this.configureServices = configureServices;
        this.connectionString = connectionString;
        this.overrides = overrides ?? new Dictionary<string, string?>();
        Port = TestEnvironment.FreeTcpPort();
        UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in InfrastructureServices.Settings(connectionString).Concat(overrides))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ObservedResponses.StartupFilter>());
        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    private bool started;

    /// <summary>Starts Kestrel without waiting for the database.</summary>
    public void Start()
    {
        StartServer();
        started = true;
    }

    /// <summary>
    /// Stops the app's hosted services (Quartz scheduler, listener) before the factory disposes anything. Left to the
    /// factory's own disposal, a scheduler could outlive the data source it uses, loop on "disposed" errors, and keep the
    /// test process alive after the last test (seen as a hang killed by --blame-hang-timeout).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (started && Services.GetService<Microsoft.Extensions.Hosting.IHost>() is { } host)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
        }
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the server and waits until the schema has been migrated (ready answers 200), or gives up.</summary>
    public async Task StartAndWaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        Start();
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await http.GetAsync("health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The app was not ready within the timeout (last answer {(int)response.StatusCode}).");
            }
            await Task.Delay(100);
        }
    }
}
