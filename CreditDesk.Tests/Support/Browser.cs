using Microsoft.Playwright;

namespace CreditDesk.Tests.Support;

/// <summary>Debian's headless Chromium driven by Playwright; never a downloaded browser.</summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Instance { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // Two cores shared by PostgreSQL, several app processes and Chromium: a slow moment is not a failure.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Instance = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A new browser context (its own cookies) with console errors, failed requests and page errors collected.</summary>
    public async Task<BrowserPage> OpenAsync(Uri baseAddress, string locale = "en-US")
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = locale,
        });
        var page = await context.NewPageAsync();
        var session = new BrowserPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session.Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => session.Errors.Add(error);
        return session;
    }

    public async Task DisposeAsync()
    {
        if (Instance is not null)
        {
            await Instance.DisposeAsync();
        }
        playwright?.Dispose();
    }
}
