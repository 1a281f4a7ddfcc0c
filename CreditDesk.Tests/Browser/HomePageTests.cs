using System.Net;
using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class HomePageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Choosing_a_country_in_the_dropdown_shows_the_server_rendered_facts_without_console_errors()
    {
        await using var browser = await fixture.OpenAsync();
        var blazorScriptStatuses = new List<int>();
        browser.Page.Response += (_, response) =>
        {
            if (response.Url.Contains("/_framework/blazor.web", StringComparison.Ordinal))
            {
                blazorScriptStatuses.Add(response.Status);
            }
        };
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword);
        await Expect(browser.Page.GetByTestId("home-currency")).ToHaveTextAsync("EUR");

        await browser.ChooseAsync("home-country", "Mexico");

        await Expect(browser.Page.GetByTestId("home-currency")).ToHaveTextAsync("MXN");
        await Expect(browser.Page.GetByTestId("home-document-name")).ToHaveTextAsync("CURP");
        await Expect(browser.Page.GetByTestId("home-bureau")).ToHaveTextAsync("Buró de Crédito");
        await browser.Page.GetByTestId("home-document").PressSequentiallyAsync("HEGG560427MVZRRL04");
        await Expect(browser.Page.GetByTestId("home-document-check")).ToHaveAttributeAsync("data-valid", "true");
        await browser.ScreenshotAsync("home");

        Assert.NotEmpty(blazorScriptStatuses);
        Assert.All(blazorScriptStatuses, status => Assert.Contains(status, new[] { 200, 304 }));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_Blazor_client_script_is_served_as_javascript()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };

        using var response = await http.GetAsync("_framework/blazor.web.js");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Length > 50_000, $"blazor.web.js is only {body.Length} characters");
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        await using var browser = await fixture.OpenAsync();

        await browser.Page.GotoAsync("/applications");

        await browser.Page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await Expect(browser.Page.GetByTestId("login-submit")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("sign-in");
    }

    [Fact]
    public async Task Pages_carry_a_content_security_policy_and_the_usual_security_headers()
    {
        using var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };

        using var response = await http.GetAsync("account/login");

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }
}
