namespace CreditDesk.Tests.Support;

/// <summary>For test classes that start app processes themselves: a fresh database and Chromium, cleaned up after the class.</summary>
public abstract class DatabaseAndBrowser : IAsyncLifetime
{
    protected PostgresDatabase Database { get; } = new();

    protected Browser Browser { get; } = new();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Database.DisposeAsync();
    }
}
