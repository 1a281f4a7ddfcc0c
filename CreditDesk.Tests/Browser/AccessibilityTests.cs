using CreditDesk.Tests.Support;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>WCAG 2.2 AA as axe-core checks it, in Chromium: no critical and no serious violation on the five main pages.</summary>
public sealed class AccessibilityTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions WcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    };

    [Fact]
    public async Task Sign_in_has_no_critical_or_serious_violations()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.Page.GotoAsync("/account/login");

        await AssertAccessibleAsync(browser.Page, "sign-in");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Apply_empty_and_with_errors_has_no_critical_or_serious_violations_in_either_theme(string scheme)
    {
        await using var browser = await OpenAsync(scheme);
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        await AssertAccessibleAsync(browser.Page, "apply");

        await browser.Page.GetByTestId("apply-submit").ClickAsync();
        await Expect(browser.Page.GetByTestId("error-full_name")).ToBeVisibleAsync();

        await AssertAccessibleAsync(browser.Page, "apply with errors");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Applications_and_the_detail_dialog_have_no_critical_or_serious_violations_in_either_theme(string scheme)
    {
        await using var browser = await OpenAsync(scheme);
        await browser.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/applications");
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var id = await Infrastructure.ApplicationTestData.SubmitAsync(submission, Infrastructure.ApplicationTestData.Colombian());
        await Expect(browser.Page.GetByTestId($"app-row-{id}")).ToBeVisibleAsync();
        await AssertAccessibleAsync(browser.Page, "applications");

        await browser.Page.GetByTestId($"app-row-{id}").ClickAsync();
        await Expect(browser.Page.GetByTestId("app-detail")).ToBeVisibleAsync();

        await AssertAccessibleAsync(browser.Page, "detail dialog");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Ops_has_no_critical_or_serious_violations_in_either_theme(string scheme)
    {
        await using var browser = await OpenAsync(scheme);
        await browser.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/ops");
        await Expect(browser.Page.GetByTestId("ops-queue-depth")).ToBeVisibleAsync();

        await AssertAccessibleAsync(browser.Page, "ops");
    }

    /// <summary>The browser's colour scheme chooses the theme (no choice stored yet).</summary>
    private async Task<BrowserPage> OpenAsync(string scheme)
    {
        var browser = await fixture.OpenAsync();
        await browser.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light });
        return browser;
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        // The theme follows the browser once the circuit is live; colours then ease in for 200 ms (MudBlazor's transitions).
        await page.WaitForFunctionAsync("""
            () => getComputedStyle(document.body).backgroundColor
                === (matchMedia('(prefers-color-scheme: dark)').matches ? 'rgb(50, 51, 61)' : 'rgb(255, 255, 255)')
            """);
        await page.WaitForTimeoutAsync(300);
        var result = await page.RunAxe(WcagAa);
        var blocking = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();
        Assert.True(blocking.Count == 0, $"{what}: " + string.Join(Environment.NewLine, blocking.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Take(4).Select(n => $"{n.Target} {string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}"))}")));
    }
}
