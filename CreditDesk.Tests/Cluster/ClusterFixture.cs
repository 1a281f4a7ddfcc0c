using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Cluster;

/// <summary>
/// The compose deployment's shape on this machine: two app processes on one database behind the deployment's own nginx
/// configuration. The node nginx sends this client to (ip_hash) serves pages with its scheduler off; the other node
/// does all the processing, so anything live the browser sees crossed from one node to the other through PostgreSQL.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public PostgresDatabase Database { get; } = new();

    public Support.Browser Browser { get; } = new();

    /// <summary>The node behind nginx for this client: pages and circuits, no processing.</summary>
    public AppProcess Front { get; private set; } = default!;

    /// <summary>The node that claims and decides applications.</summary>
    public AppProcess Worker { get; private set; } = default!;

    public LocalNginx Nginx { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // One node first: it migrates and seeds the development users; the second starts on a ready schema.
        Front = AppProcess.Start(Database.ConnectionString, "node-front", new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
        await Front.WaitUntilReadyAsync();
        await Database.WaitForDevelopmentAccountsAsync();
        Worker = AppProcess.Start(Database.ConnectionString, "node-worker");
        await Worker.WaitUntilReadyAsync();

        Nginx = await LocalNginx.StartAsync(Front.Port, Worker.Port);
        if (await ServedByAsync() != Front.NodeId)
        {
            // ip_hash picks an upstream by position for 127.0.0.1: swap the order so that position is the front node.
            await Nginx.RestartAsync(Worker.Port, Front.Port);
        }
        Assert.Equal(Front.NodeId, await ServedByAsync());
        await Browser.InitializeAsync();
    }

    /// <summary>Which node answered a request through nginx (health answers name their node).</summary>
    public async Task<string?> ServedByAsync()
    {
        using var http = new HttpClient { BaseAddress = Nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("health/ready");
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("X-CreditDesk-Node", out var values) ? values.Single() : null;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }
        if (Front is not null)
        {
            await Front.DisposeAsync();
        }
        await Database.DisposeAsync();
    }
}
