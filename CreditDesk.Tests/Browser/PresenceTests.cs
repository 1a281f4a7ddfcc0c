using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>Presence on one node, in the browser: tabs that stay open stay shown, a tab that loses its network goes.</summary>
public sealed class PresenceTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Idle_tabs_stay_shown_past_the_servers_client_timeout_an_applicant_never_appears_and_a_tab_that_loses_its_network_is_gone_within_15_seconds()
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var id = await Infrastructure.ApplicationTestData.SubmitAsync(submission, Infrastructure.ApplicationTestData.Colombian());
        await using var officer = await fixture.OpenAsync();
        var sent = 0;
        var sockets = 0;
        officer.Page.WebSocket += (_, socket) =>
        {
            Interlocked.Increment(ref sockets);
            socket.FrameSent += (_, _) => Interlocked.Increment(ref sent);
        };
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");
        await using var admin = await fixture.OpenAsync("es-ES");
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, $"/applications/{id}");
        var adminSeen = officer.Page.GetByTestId("presence").Locator($"[data-user='{BrowserFixture.AdminEmail}']");
        var officerSeen = admin.Page.GetByTestId("presence").Locator($"[data-user='{BrowserFixture.OfficerEmail}']");
        await Expect(adminSeen).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 2_000 });
        await Expect(officerSeen).ToContainTextAsync("consultando");
        await admin.ScreenshotAsync("presence-admin-es");

        // An applicant sent to the same address is neither shown presence nor shown in it.
        await using (var applicant = await fixture.OpenAsync())
        {
            await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, $"/applications/{id}");
            await applicant.Page.WaitForURLAsync(url => url.Contains("/my/applications", StringComparison.Ordinal));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await Expect(applicant.Page.GetByTestId("presence")).ToHaveCountAsync(0);
            await Expect(officer.Page.GetByTestId("presence").Locator("[data-user]")).ToHaveCountAsync(1);
            await Expect(officer.Page.GetByTestId("presence")).Not.ToContainTextAsync(BrowserFixture.ApplicantEmail);
        }

        // The server drops a circuit it has not heard from for 12 s; the page pings every 5 s, so idle tabs stay.
        var (before, socketsBefore) = (Volatile.Read(ref sent), Volatile.Read(ref sockets));
        await Task.Delay(TimeSpan.FromSeconds(20));
        Assert.True(Volatile.Read(ref sent) - before >= 3, $"{Volatile.Read(ref sent) - before} frames sent by an idle tab in 20 s: it does not ping every 5 s");
        // A circuit the server timed out reconnects on a new socket: there must be none.
        Assert.Equal(socketsBefore, Volatile.Read(ref sockets));
        await Expect(adminSeen).ToBeVisibleAsync();
        await Expect(officerSeen).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("reconnect")).Not.ToBeVisibleAsync();

        var lost = System.Diagnostics.Stopwatch.StartNew();
        await admin.Context.SetOfflineAsync(true);
        await Expect(adminSeen).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        Assert.True(lost.Elapsed < TimeSpan.FromSeconds(15), $"gone after {lost.Elapsed.TotalSeconds:0.0} s");
        officer.AssertNoConsoleErrors();
    }
}
