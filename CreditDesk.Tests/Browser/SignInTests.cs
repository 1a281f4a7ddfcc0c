using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class SignInTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_wrong_password_is_refused_and_five_in_a_row_lock_the_account()
    {
        await using var browser = await fixture.OpenAsync();
        var page = browser.Page;

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GotoAsync("/account/login");
            await page.GetByTestId("login-email").FillAsync(BrowserFixture.OfficerEmail);
            await page.GetByTestId("login-password").FillAsync("not-the-password");
            await page.GetByTestId("login-submit").ClickAsync();
            await Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        }
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("locked");

        await page.GetByTestId("login-email").FillAsync(BrowserFixture.OfficerEmail);
        await page.GetByTestId("login-password").FillAsync(BrowserFixture.OfficerPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("locked");
        Assert.NotNull(await fixture.Database.ScalarAsync<DateTime?>("SELECT lockout_end FROM identity_users WHERE email = 'officer@creditdesk.test'"));
    }

    [Fact]
    public async Task Signing_out_returns_to_sign_in_and_pages_require_signing_in_again()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/applications");

        await browser.Page.GetByTestId("logout").ClickAsync();
        await browser.Page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await browser.Page.GotoAsync("/applications");

        await browser.Page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_officer_cannot_open_the_apply_page()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/apply");

        await Expect(browser.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Expect(browser.Page.GetByTestId("apply-submit")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_page_on_another_origin_cannot_create_an_application_or_sign_the_user_out()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
        var app = fixture.App.BaseAddress.ToString().TrimEnd('/');
        // Another port on the same host is the same site for cookies: the browser sends the session cookie along.
        using var evil = new System.Net.HttpListener();
        var evilPort = FreePort();
        evil.Prefixes.Add($"http://127.0.0.1:{evilPort}/");
        evil.Start();
        var serving = Task.Run(async () =>
        {
            var context = await evil.GetContextAsync();
            var html = $$"""
                <!DOCTYPE html><html><body>
                <form id="out" method="post" action="{{app}}/account/logout"></form>
                <script>
                  const body = '{"country":"CO","full_name":"Eve Attacker","document":"1020304999","amount":"5000000","monthly_income":"4000000"}';
                  Promise.allSettled([
                    fetch("{{app}}/api/v1/applications", { method: "POST", credentials: "include", headers: { "Content-Type": "text/plain" }, body }),
                    fetch("{{app}}/api/v1/applications", { method: "POST", credentials: "include", mode: "no-cors", body: new Blob([body], { type: "application/json" }) }),
                  ]).then(() => document.getElementById("out").submit());
                </script></body></html>
                """;
            var bytes = System.Text.Encoding.UTF8.GetBytes(html);
            context.Response.ContentType = "text/html";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        });

        var logout = browser.Page.WaitForResponseAsync(response => response.Url.Contains("/account/logout", StringComparison.Ordinal));
        await browser.Page.GotoAsync($"http://127.0.0.1:{evilPort}/");
        await serving;
        var logoutResponse = await logout;
        await browser.Page.WaitForURLAsync(url => url.Contains("/account/logout", StringComparison.Ordinal));
        await browser.Page.WaitForLoadStateAsync();

        Assert.Equal(400, logoutResponse.Status);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
        await browser.GotoAsync("/apply");
        await Expect(browser.Page.GetByTestId("apply-submit")).ToBeVisibleAsync();
        Assert.DoesNotContain("/account/login", browser.Page.Url, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
