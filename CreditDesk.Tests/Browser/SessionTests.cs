using System.Net;
using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>An app that checks a session's security stamp on every request (production checks every 30 s).</summary>
public sealed class StrictSessionsFixture : BrowserFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Security:SessionCheckInterval"] = "00:00:00" };
}

/// <summary>Sessions that really end: after signing out or a lock-out, a copied cookie and an open page are worth nothing.</summary>
public sealed class SessionTests(StrictSessionsFixture fixture) : IClassFixture<StrictSessionsFixture>
{
    [Fact]
    public async Task A_cookie_copied_before_signing_out_is_refused_after_it_and_an_open_tab_falls_back_to_sign_in()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var copied = await CopiedCookieAsync(browser);
        Assert.Equal(HttpStatusCode.OK, await ApiStatusWithAsync(copied));
        var otherTab = await OtherTabAsync(browser);
        await otherTab.Page.GotoAsync("/applications");
        await Expect(otherTab.Page.GetByTestId("applications-grid")).ToBeVisibleAsync();
        await Expect(otherTab.Page.GetByTestId("circuit")).ToHaveAttributeAsync("data-interactive", "true");

        await SignOutAsync(browser);

        Assert.Equal(HttpStatusCode.Unauthorized, await ApiStatusWithAsync(copied));
        // The other tab's circuit is checked too: it leaves the desk for the sign-in page by itself.
        await FallsBackToSignInAsync(otherTab);
    }

    [Fact]
    public async Task A_tab_whose_live_connection_opens_after_signing_out_falls_back_to_sign_in()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var otherTab = await OtherTabAsync(browser);
        // The page is drawn and its connection negotiated while signed in; the connection itself opens after signing out.
        var negotiated = new TaskCompletionSource();
        var signedOut = new TaskCompletionSource();
        await otherTab.Page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            var response = await route.FetchAsync();
            negotiated.TrySetResult();
            await signedOut.Task;
            await route.FulfillAsync(new RouteFulfillOptions { Response = response });
        });
        await otherTab.Page.GotoAsync("/applications");
        await Expect(otherTab.Page.GetByTestId("applications-grid")).ToBeVisibleAsync();
        await negotiated.Task.WaitAsync(TimeSpan.FromSeconds(15));

        await SignOutAsync(browser);
        signedOut.SetResult();

        await FallsBackToSignInAsync(otherTab);
    }

    [Fact]
    public async Task A_session_ends_when_its_account_is_locked_by_failed_sign_ins()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/my/applications");
        var copied = await CopiedCookieAsync(browser);
        Assert.Equal(HttpStatusCode.OK, await ApiStatusWithAsync(copied));

        await using var guesser = await fixture.OpenAsync();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await guesser.Page.GotoAsync("/account/login");
            await guesser.Page.GetByTestId("login-email").FillAsync(BrowserFixture.ApplicantEmail);
            await guesser.Page.GetByTestId("login-password").FillAsync($"wrong-guess-{attempt}");
            await guesser.Page.GetByTestId("login-submit").ClickAsync();
            await Expect(guesser.Page.GetByTestId("login-error")).ToBeVisibleAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await ApiStatusWithAsync(copied));
    }

    /// <summary>Another tab of the same browser (same cookies), its console kept for a failure's message.</summary>
    private static async Task<BrowserPage> OtherTabAsync(BrowserPage browser)
    {
        var tab = new BrowserPage(browser.Context, await browser.Context.NewPageAsync());
        tab.Page.Console += (_, message) => tab.Errors.Add($"{message.Type}: {message.Text}");
        tab.Page.PageError += (_, error) => tab.Errors.Add(error);
        return tab;
    }

    private static async Task SignOutAsync(BrowserPage browser)
    {
        await browser.Page.GetByTestId("logout").ClickAsync();
        await Expect(browser.Page).ToHaveURLAsync(BrowserPage.SignInPage);
    }

    /// <summary>The tab reaches the sign-in page by itself; if it does not, the failure says where it stayed and what its console said.</summary>
    private static async Task FallsBackToSignInAsync(BrowserPage tab)
    {
        try
        {
            await Expect(tab.Page).ToHaveURLAsync(BrowserPage.SignInPage);
            await Expect(tab.Page.GetByTestId("login-email")).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            var marker = tab.Page.GetByTestId("circuit");
            var interactive = await marker.CountAsync() == 1 ? await marker.GetAttributeAsync("data-interactive") : null;
            Assert.Fail($"The tab stayed on {tab.Page.Url} (interactive: {interactive ?? "no marker"}, error bar shown: "
                + $"{await tab.Page.GetByTestId("blazor-error").IsVisibleAsync()}). Its console:{Environment.NewLine}{string.Join(Environment.NewLine, tab.Errors)}");
        }
    }

    private static async Task<string> CopiedCookieAsync(BrowserPage browser) =>
        (await browser.Context.CookiesAsync()).Single(cookie => cookie.Name == "creditdesk") is var cookie ? $"{cookie.Name}={cookie.Value}" : "";

    /// <summary>A cookie-authenticated read, from outside the browser, with only the copied cookie.</summary>
    private async Task<HttpStatusCode> ApiStatusWithAsync(string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.App.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/applications?limit=1");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
