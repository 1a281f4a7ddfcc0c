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
}
