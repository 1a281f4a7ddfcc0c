using System.Diagnostics;
using System.Net.Http.Json;
using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Chaos;

[Trait("Category", "Chaos")]
public sealed class KillBetweenCommitAndPublishTests : DatabaseAndBrowser
{
    [Fact]
    public async Task A_node_killed_between_a_commit_and_its_batch_leaves_no_screen_behind_the_other_node_shows_the_change_within_2_seconds()
    {
        await using var front = AppProcess.Start(Database.ConnectionString, "front", ChaosData.NoProcessing);
        // The victim never gets to publish: its batch would leave five minutes after its first change.
        await using var victim = AppProcess.Start(Database.ConnectionString, "victim",
            new Dictionary<string, string?>(ChaosData.NoProcessing) { ["LiveEvents:BatchWindow"] = "00:05:00" });
        await front.WaitUntilReadyAsync();
        await victim.WaitUntilReadyAsync();
        await Database.WaitForDevelopmentAccountsAsync();
        using var applicant = front.Client(AppProcess.DevelopmentApplicantKey);
        using var created = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
        var id = (await ApiFixture.JsonAsync(created)).GetProperty("id").GetGuid();
        await Database.ExecuteAsync($"DELETE FROM application_outbox; UPDATE credit_applications SET status = 'UNDER_REVIEW', updated_at = now() WHERE id = '{id}'");

        await using var officer = await Browser.OpenAsync(front.BaseAddress);
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var row = officer.Page.GetByTestId($"app-row-{id}");
        await Expect(row).ToHaveAttributeAsync("data-status", "UNDER_REVIEW");

        // The admin's move commits on the victim, which is killed before its batch leaves.
        using var admin = victim.Client(AppProcess.DevelopmentAdminKey);
        using var moved = await admin.PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = "APPROVED", reason = "Payslips checked" });
        await victim.KillAsync();
        var killed = Stopwatch.StartNew();
        var shown = true;
        try
        {
            await Expect(row).ToHaveAttributeAsync("data-status", "APPROVED", new() { Timeout = 2_000 });
        }
        catch (PlaywrightException)
        {
            shown = false;
        }
        var elapsed = killed.ElapsedMilliseconds;

        ChaosReport.Verdict("kill -9 between commit and publish",
            moved.IsSuccessStatusCode && shown && officer.Errors.Count == 0,
            $"admin's move answered {(int)moved.StatusCode} on the victim, victim killed before its batch; "
            + $"the officer's grid on the other node showed APPROVED {(shown ? $"{elapsed} ms after the kill" : "not within 2 s")}");
    }
}
