using CreditDesk.Infrastructure;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditDesk.Tests.Support;

/// <summary>A CreditDesk node without the web front: migrations, its own clustered Quartz scheduler, LISTEN/NOTIFY.</summary>
public sealed class PipelineHost : IAsyncDisposable
{
    private readonly IHost host;

    private PipelineHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public T Get<T>() where T : notnull => host.Services.GetRequiredService<T>();

    /// <summary>Starts a node; unless <paramref name="waitForSchema"/> is false, returns once it migrated and listens.</summary>
    public static async Task<PipelineHost> StartAsync(string connectionString, IDictionary<string, string?>? overrides = null, bool waitForSchema = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(InfrastructureServices.Settings(connectionString));
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddInfrastructure(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        var node = new PipelineHost(host);
        if (!waitForSchema)
        {
            return node;
        }
        await node.Get<SchemaReadiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(30));
        await node.Get<PostgresNotificationListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(TimeSpan.FromSeconds(10));
        host.Dispose();
    }
}
