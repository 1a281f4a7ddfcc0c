namespace CreditDesk.Tests.Support;

/// <summary>A fresh database per test and one CreditDesk node on it with processing off: what is written stays as written.</summary>
public abstract class QuietNode : IAsyncLifetime
{
    protected PostgresDatabase Database { get; } = new();

    protected PipelineHost Node { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Node = await PipelineHost.StartAsync(Database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Database.DisposeAsync();
    }
}
