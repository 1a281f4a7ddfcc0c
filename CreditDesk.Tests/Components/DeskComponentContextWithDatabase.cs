using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Components;

/// <summary>bunit on a real database: a fresh one per test class and a CreditDesk node on it with processing off.</summary>
public abstract class DeskComponentContextWithDatabase : DeskComponentContext, IAsyncLifetime
{
    protected PostgresDatabase Database { get; } = new();

    protected PipelineHost Node { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Node = await PipelineHost.StartAsync(Database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
        AddServices();
    }

    /// <summary>The services the components under test need, taken from <see cref="Node"/>; called before anything renders.</summary>
    protected abstract void AddServices();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeComponentsAsync();
        await Node.DisposeAsync();
        await Database.DisposeAsync();
    }
}
