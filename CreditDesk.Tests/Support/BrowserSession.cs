using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Support;

/// <summary>The running app, a fresh database, the development users, and Chromium, for one browser test class.</summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@creditdesk.test";
    public const string AdminPassword = "Admin!2026desk";
    public const string OfficerEmail = "officer@creditdesk.test";
    public const string OfficerPassword = "Officer!2026desk";
    public const string ApplicantEmail = "applicant@creditdesk.test";
    public const string ApplicantPassword = "Applicant!2026desk";

    public PostgresDatabase Database { get; } = new();

    public AppHost App { get; private set; } = default!;

    public Browser Browser { get; } = new();

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        App = new AppHost(Database.ConnectionString, Settings);
        await App.StartAndWaitUntilReadyAsync();
        await Database.WaitForDevelopmentAccountsAsync();
        await Browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A new browser context (its own cookies) on the app.</summary>
    public Task<BrowserPage> OpenAsync(string locale = "en-US") => Browser.OpenAsync(App.BaseAddress, locale);
}

public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    /// <summary>The context's cookies and other tabs.</summary>
    public IBrowserContext Context => context;

    public IPage Page { get; } = page;

    public List<string> Errors { get; } = [];

    /// <summary>
    /// Navigations to the desk wait for what a person waits for, the page working (its circuit), not the load event: on a
    /// loaded CI machine Chromium once reported network idle but no load for 30 s on a page that was already there.
    /// </summary>
    private static readonly PageGotoOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    /// <summary>
    /// The sign-in page's address. Leaving it or arriving there is checked by polling the address (Expect ToHaveURL),
    /// which waits on no load event and, when it fails, shows the page it stayed on (a 429 from the sign-in rate limit, say).
    /// </summary>
    public static readonly System.Text.RegularExpressions.Regex SignInPage = new("/account/login");

    public async Task SignInAsync(string email, string password, string path = "/")
    {
        await Page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(path)}");
        await Page.GetByTestId("login-email").FillAsync(email);
        await Page.GetByTestId("login-password").FillAsync(password);
        await Page.GetByTestId("login-submit").ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(SignInPage);
        await WaitForCircuitAsync();
    }

    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path, Committed);
        await WaitForCircuitAsync();
    }

    public Task WaitForCircuitAsync() =>
        Expect(Page.GetByTestId("circuit")).ToHaveAttributeAsync("data-interactive", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });

    /// <summary>Opens a MudSelect and picks an option by its text, as a person does with the mouse.</summary>
    public async Task ChooseAsync(string testId, string option)
    {
        await Page.GetByTestId(testId).ClickAsync();
        var item = Page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(option)}\\s*$") });
        await item.ClickAsync();
        await Expect(Page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    /// <summary>Fills the apply form as a person types it (amounts key by key, so the live reading runs as it does for them).</summary>
    public async Task FillApplicationAsync(string country, string fullName, string document, string amount, string income, string? term = null)
    {
        await ChooseAsync("apply-country", country);
        await Page.GetByTestId("apply-full-name").FillAsync(fullName);
        await Page.GetByTestId("apply-document").FillAsync(document);
        await Page.GetByTestId("apply-amount").PressSequentiallyAsync(amount, new() { Delay = 40 });
        await Page.GetByTestId("apply-income").PressSequentiallyAsync(income, new() { Delay = 40 });
        if (term is not null)
        {
            await Page.GetByTestId("apply-term").FillAsync(term);
        }
    }

    public async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public void AssertNoConsoleErrors() => Assert.True(Errors.Count == 0, string.Join(Environment.NewLine, Errors));

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
