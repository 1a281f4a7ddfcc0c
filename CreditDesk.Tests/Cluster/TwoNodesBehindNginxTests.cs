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

    private static Regex Decided() => DecidedPattern();

    [GeneratedRegex("^(APPROVED|REJECTED|UNDER_REVIEW)$")]
    private static partial Regex DecidedPattern();
}
