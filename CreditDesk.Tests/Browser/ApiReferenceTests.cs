using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class ApiReferenceTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_API_reference_at_docs_renders_the_operations_from_the_OpenAPI_document_under_the_CSP()
    {
        await using var browser = await fixture.OpenAsync();
        var csp = "";
        browser.Page.Response += (_, response) =>
        {
            if (new Uri(response.Url).AbsolutePath.StartsWith("/docs", StringComparison.Ordinal) && response.Status == 200
                && response.Headers.GetValueOrDefault("content-type", "").StartsWith("text/html", StringComparison.Ordinal))
            {
                csp = response.Headers.TryGetValue("content-security-policy", out var value) ? value : "";
            }
        };

        await browser.Page.GotoAsync("/docs");

        await Expect(browser.Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "CreditDesk API" }).First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await browser.Page.GetByText("Applications", new() { Exact = true }).First.ClickAsync();
        await Expect(browser.Page.GetByText("/api/v1/applications").First).ToBeVisibleAsync();
        // Under the app's own policy: scripts from this origin, plus the one inline start-up script carrying this response's
        // nonce; nothing fetched from elsewhere (a console error would say so).
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9_-]+';", csp);
        await browser.ScreenshotAsync("api-reference");
        browser.AssertNoConsoleErrors();
    }
}
