using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>What people without a mouse, or on a phone, must be able to do.</summary>
public sealed class KeyboardAndPhoneTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>A fast typist's pace. At Playwright's zero delay, under CI load, a live field once kept only part of what was typed.</summary>
    private static readonly KeyboardTypeOptions Typing = new() { Delay = 40 };

    [Fact]
    public async Task An_applicant_applies_with_the_keyboard_only_and_choosing_a_country_swallows_no_keystrokes()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;
        var keyboard = page.Keyboard;

        // From the page title (where navigation puts focus), as a person would: Tab, then the keys, at typing speed.
        await page.Locator("h1").FocusAsync();
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByTestId("apply-country")).ToBeFocusedAsync();
        // MudSelect listens for keys once its script has attached after the first render; on these shared cores that can
        // take a moment after the page shows, so a person who gets no list presses Enter again.
        var options = page.Locator(".mud-popover-open .mud-list-item");
        for (var attempt = 0; attempt < 5 && await options.CountAsync() == 0; attempt++)
        {
            await keyboard.PressAsync("Enter", new() { Delay = 30 });
            await page.WaitForTimeoutAsync(1_000);
        }
        await Expect(options.First).ToBeVisibleAsync();
        foreach (var _ in Enumerable.Range(0, 5))
        {
            await keyboard.PressAsync("ArrowDown", new() { Delay = 30 });
        }
        await keyboard.PressAsync("Enter");
        await Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("Beatriz Oliveira Souza", Typing);
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("529.982.247-25", Typing);
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("30000", Typing);
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("7000", Typing);
        await keyboard.PressAsync("Tab");
        await keyboard.PressAsync("Control+A");
        await keyboard.TypeAsync("48", Typing);

        await Expect(page.GetByTestId("apply-full-name")).ToHaveValueAsync("Beatriz Oliveira Souza");
        await Expect(page.GetByTestId("apply-document")).ToHaveAccessibleNameAsync("CPF");
        await Expect(page.GetByTestId("apply-amount-understood")).ToHaveAttributeAsync("data-amount", "30000.00");
        await keyboard.PressAsync("Tab");
        await keyboard.PressAsync("Enter");

        await Expect(page.GetByTestId("apply-result")).ToBeVisibleAsync();
        var id = Guid.Parse((await page.GetByTestId("apply-result").GetAttributeAsync("data-id"))!);
        Assert.Equal("BR", await fixture.Database.ScalarAsync<string>($"SELECT country FROM credit_applications WHERE id = '{id}'"));
    }

    [Fact]
    public async Task Submitting_with_errors_moves_focus_to_the_first_field_in_error()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;
        await page.GetByTestId("apply-full-name").FillAsync("Lucía Fernández");

        await page.GetByTestId("apply-submit").ClickAsync();

        await Expect(page.GetByTestId("apply-document")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("apply-document")).ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task On_a_phone_an_applicant_can_sign_out()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.Page.SetViewportSizeAsync(390, 844);
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");

        await Expect(browser.Page.GetByTestId("logout")).ToBeInViewportAsync();
        await browser.Page.GetByTestId("logout").ClickAsync();

        await browser.Page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_theme_follows_the_browser_until_toggled_and_the_choice_survives_a_reload()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword);
        var toggle = browser.Page.GetByTestId("theme-toggle");
        await Expect(toggle).ToHaveAccessibleNameAsync("Switch to light theme");

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAccessibleNameAsync("Switch to dark theme");
        await browser.GotoAsync("/applications");

        await Expect(browser.Page.GetByTestId("theme-toggle")).ToHaveAccessibleNameAsync("Switch to dark theme");
        await browser.Page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'");
    }

    [Fact]
    public async Task A_lost_connection_is_announced_and_covers_the_page_until_it_is_back()
    {
        await using var browser = await fixture.OpenAsync();
        // The circuit's WebSocket passes through Playwright, which can cut it and refuse reconnections, like a network that drops.
        var refuse = false;
        IWebSocketRoute? circuit = null;
        await browser.Page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), socket =>
        {
            if (refuse)
            {
                _ = socket.CloseAsync();
                return;
            }
            socket.ConnectToServer();
            circuit = socket;
        });
        // A dropped network drops HTTP too: without this SignalR's reconnect falls back to long polling and gets through.
        await browser.Page.RouteAsync(new System.Text.RegularExpressions.Regex("/_blazor"), route => refuse ? route.AbortAsync() : route.ContinueAsync());
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var notice = browser.Page.GetByTestId("reconnect");
        await Expect(notice).ToBeHiddenAsync();

        refuse = true;
        await circuit!.CloseAsync();

        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToHaveAttributeAsync("role", "alertdialog");
        await Expect(notice).ToContainTextAsync("Nothing you click is sent");
        var covered = await browser.Page.EvaluateAsync<bool>("""
            () => { const b = document.querySelector('[data-testid=apply-submit]').getBoundingClientRect();
                    return document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2).closest('#components-reconnect-modal') !== null; }
            """);
        Assert.True(covered, "the submit button could still be clicked while the connection was lost");

        refuse = false;
        await Expect(notice).ToBeHiddenAsync(new() { Timeout = 30_000 });
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/applications/not-a-guid")]
    public async Task Unknown_routes_and_malformed_ids_show_a_page_not_raw_json(string path)
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword);

        var response = await browser.Page.GotoAsync(path);

        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type") ?? "", StringComparison.Ordinal);
        await Expect(browser.Page.GetByTestId("not-found")).ToBeVisibleAsync();
        // Still so once the interactive router has taken the page over.
        await browser.WaitForCircuitAsync();
        await Expect(browser.Page.GetByTestId("not-found")).ToBeVisibleAsync();
    }
}
