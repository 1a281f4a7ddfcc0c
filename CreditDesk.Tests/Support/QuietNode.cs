namespace CreditDesk.Tests.Support;

/// <summary>
/// A fresh database per test and one CreditDesk node on it with processing off: what is written stays as written.
/// <see cref="StartAnotherNodeAsync"/> adds a second, equally quiet node on the same database.
/// </summary>
public abstract class QuietNode : IAsyncLifetime
{
    protected static IDictionary<string, string?> Quiet => new Dictionary<string, string?> { ["Processing:Enabled"] = "false" };

    protected PostgresDatabase Database { get; } = new();

    protected PipelineHost Node { get; private set; } = default!;

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Node = await StartAnotherNodeAsync();
    }

    /// <summary>Another node on this test's database, processing off; the caller disposes it.</summary>
    protected Task<PipelineHost> StartAnotherNodeAsync() => PipelineHost.StartAsync(Database.ConnectionString, Quiet);

    public virtual async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Database.DisposeAsync();
    }
}
