using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class HomePageTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();
    private readonly Support.Browser browser = new();
    private AppHost app = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        app = new AppHost(database.ConnectionString);
        await app.StartAndWaitUntilReadyAsync();
        await browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Choosing_a_country_in_the_Radzen_dropdown_shows_the_server_rendered_facts_without_console_errors()
    {
        var page = await browser.Instance.NewPageAsync(new BrowserNewPageOptions { BaseURL = app.BaseAddress.ToString() });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);
        var blazorScriptStatuses = new List<int>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                consoleErrors.Add($"{response.Status} {response.Url}");
            }
            if (response.Url.Contains("/_framework/blazor.web", StringComparison.Ordinal))
            {
                blazorScriptStatuses.Add(response.Status);
            }
        };

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("home-currency")).ToHaveTextAsync("EUR");

        await ChooseCountryAsync(page, "Mexico");

        await Expect(page.GetByTestId("home-currency")).ToHaveTextAsync("MXN");
        await Expect(page.GetByTestId("home-document-name")).ToHaveTextAsync("CURP");
        await Expect(page.GetByTestId("home-bureau")).ToHaveTextAsync("Buró de Crédito");

        await page.GetByTestId("home-document").PressSequentiallyAsync("HEGG560427MVZRRL04");
        await Expect(page.GetByTestId("home-document-check")).ToHaveAttributeAsync("data-valid", "true");

        Assert.Equal([200], blazorScriptStatuses.Distinct());
        Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));
    }

    [Fact]
    public async Task The_Blazor_client_script_is_served_as_javascript()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        using var response = await http.GetAsync("_framework/blazor.web.js");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Length > 50_000, $"blazor.web.js is only {body.Length} characters");
    }

    /// <summary>Clicks until the circuit is up: before it connects, the dropdown does not open.</summary>
    private static async Task ChooseCountryAsync(IPage page, string country)
    {
        var option = page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = country, Exact = true });
        for (var attempt = 0; attempt < 50 && !await option.IsVisibleAsync(); attempt++)
        {
            await page.GetByTestId("home-country").ClickAsync();
            try
            {
                await option.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 500 });
            }
            catch (TimeoutException)
            {
            }
        }
        await option.ClickAsync();
    }
}
