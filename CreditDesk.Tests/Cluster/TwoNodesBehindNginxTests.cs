using System.Text.RegularExpressions;
using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Cluster;

[Trait("Category", "Cluster")]
public sealed partial class TwoNodesBehindNginxTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Through_nginx_an_applicant_submits_on_one_node_and_sees_the_other_nodes_decision_live()
    {
        await using var officer = await cluster.Browser.OpenAsync(cluster.Nginx.BaseAddress);
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        await using var applicant = await cluster.Browser.OpenAsync(cluster.Nginx.BaseAddress);
        var sockets = new List<string>();
        applicant.Page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = applicant.Page;

        await applicant.FillApplicationAsync("Spain", "Lucía Fernández Ortega", "12345678Z", "9000", "3200", "36");
        await page.GetByTestId("apply-submit").ClickAsync();

        var result = page.GetByTestId("apply-result");
        await Expect(result).ToBeVisibleAsync();
        var id = Guid.Parse((await result.GetAttributeAsync("data-id"))!);
        await Expect(page.GetByTestId("apply-status")).ToHaveAttributeAsync("data-status", Decided(),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await Expect(officer.Page.GetByTestId($"app-row-{id}")).ToHaveAttributeAsync("data-status", Decided(),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        await applicant.ScreenshotAsync("cluster-apply-decided");

        // The decision was written by the worker node; the pages, the circuits and their WebSockets went through nginx to the front node.
        var decidedBy = await cluster.Database.ScalarAsync<string>(
            $"SELECT actor_id FROM application_audit WHERE application_id = '{id}' AND to_status IN ('APPROVED', 'REJECTED', 'UNDER_REVIEW')");
        Assert.Equal(cluster.Worker.NodeId, decidedBy);
        Assert.Equal(cluster.Front.NodeId, await cluster.ServedByAsync());
        Assert.Contains(sockets, url => url.StartsWith($"ws://127.0.0.1:{cluster.Nginx.Port}/_blazor", StringComparison.Ordinal));
        applicant.AssertNoConsoleErrors();
        officer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Staff_on_two_nodes_see_each_other_on_the_same_application_within_2_seconds_and_stop_within_15_after_one_closes()
    {
        using var applicant = cluster.Worker.Client(AppProcess.DevelopmentApplicantKey);
        using var created = await applicant.PostAsync("api/v1/applications", Chaos.ChaosData.ColombianJson());
        var id = (await ApiFixture.JsonAsync(created)).GetProperty("id").GetGuid();
        await Chaos.ChaosData.WaitUntilAsync(async () => Decided().IsMatch(await cluster.Database.StatusAsync(id) ?? ""), TimeSpan.FromSeconds(30), "decided");
        await cluster.Database.ExecuteAsync($"UPDATE credit_applications SET status = 'UNDER_REVIEW', updated_at = now() WHERE id = '{id}'");

        // The officer's circuit lives on the front node (through nginx), the admin's on the worker node.
        await using var officer = await cluster.Browser.OpenAsync(cluster.Nginx.BaseAddress);
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");
        await Expect(officer.Page.GetByTestId("app-detail")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("presence")).ToHaveAttributeAsync("data-count", "0");
        var admin = await cluster.Browser.OpenAsync(cluster.Worker.BaseAddress);
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, $"/applications/{id}");
        await Expect(admin.Page.GetByTestId("app-detail")).ToBeVisibleAsync();

        var within2s = new LocatorAssertionsToBeVisibleOptions { Timeout = 2_000 };
        var adminSeenByOfficer = officer.Page.GetByTestId("presence").Locator($"[data-user='{BrowserFixture.AdminEmail}']");
        var officerSeenByAdmin = admin.Page.GetByTestId("presence").Locator($"[data-user='{BrowserFixture.OfficerEmail}']");
        await Expect(adminSeenByOfficer).ToBeVisibleAsync(within2s);
        await Expect(officerSeenByAdmin).ToBeVisibleAsync(within2s);
        await Expect(adminSeenByOfficer).ToHaveAttributeAsync("data-activity", "viewing");
        await Expect(adminSeenByOfficer).ToContainTextAsync("Admin");
        // The list behind the officer's dialog marks the row someone else has open.
        await Expect(officer.Page.GetByTestId($"app-presence-{id}")).ToHaveAttributeAsync("data-users", BrowserFixture.AdminEmail);

        // The officer starts proposing a decision: the admin's status box warns before Apply, and says who.
        await officer.Page.GetByTestId("detail-propose").GetByTestId("status-reason").FillAsync("Income verified by phone");
        await Expect(officerSeenByAdmin).ToHaveAttributeAsync("data-activity", "status", new LocatorAssertionsToHaveAttributeOptions { Timeout = 2_000 });
        await Expect(admin.Page.GetByTestId("status-presence-warning")).ToContainTextAsync(BrowserFixture.OfficerEmail);
        await Expect(officer.Page.GetByTestId("status-presence-warning")).ToHaveCountAsync(0);

        // The admin writes a note: the officer sees it as it happens.
        await admin.Page.GetByTestId("review-note-text").FocusAsync();
        await Expect(adminSeenByOfficer).ToHaveAttributeAsync("data-activity", "note", new LocatorAssertionsToHaveAttributeOptions { Timeout = 2_000 });
        await officer.ScreenshotAsync("presence-officer-desktop");
        await officer.Page.SetViewportSizeAsync(390, 844);
        await officer.ScreenshotAsync("presence-officer-phone");

        var closedAt = System.Diagnostics.Stopwatch.StartNew();
        await admin.DisposeAsync();
        await Expect(adminSeenByOfficer).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Expect(officer.Page.GetByTestId($"app-presence-{id}")).ToHaveCountAsync(0);
        Assert.True(closedAt.Elapsed < TimeSpan.FromSeconds(15), $"gone after {closedAt.Elapsed.TotalSeconds:0.0} s");
        officer.AssertNoConsoleErrors();
    }

    private static Regex Decided() => DecidedPattern();

    [GeneratedRegex("^(APPROVED|REJECTED|UNDER_REVIEW)$")]
    private static partial Regex DecidedPattern();
}
