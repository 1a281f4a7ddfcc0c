using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Chaos;

[Trait("Category", "Chaos")]
public sealed class TwoProcessLiveTests : DatabaseAndBrowser
{
    private const int Count = 20;

    [Fact]
    public async Task Applications_submitted_on_one_process_and_decided_by_another_change_live_on_the_first_processes_grid()
    {
        await using var front = AppProcess.Start(Database.ConnectionString, "front", ChaosData.NoProcessing);
        await front.WaitUntilReadyAsync();
        await Database.WaitForDevelopmentAccountsAsync();
        using var applicant = front.Client(AppProcess.DevelopmentApplicantKey);
        var ids = new List<Guid>();
        for (var i = 0; i < Count; i++)
        {
            using var response = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
            ids.Add((await ApiFixture.JsonAsync(response)).GetProperty("id").GetGuid());
        }

        await using var officer = await Browser.OpenAsync(front.BaseAddress);
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var navigations = 0;
        officer.Page.FrameNavigated += (_, frame) => navigations += frame == officer.Page.MainFrame ? 1 : 0;
        foreach (var id in ids)
        {
            await Expect(officer.Page.GetByTestId($"app-row-{id}")).ToHaveAttributeAsync("data-status", "PENDING");
        }

        // Only now does a second process start processing: every change the grid shows crossed processes through PostgreSQL.
        await using var worker = AppProcess.Start(Database.ConnectionString, "worker");
        var final = await PipelineIntegrity.WhenSettledAsync(Database, TimeSpan.FromSeconds(60));
        var live = 0;
        foreach (var id in ids)
        {
            var status = await Database.StatusAsync(id);
            await Expect(officer.Page.GetByTestId($"app-row-{id}")).ToHaveAttributeAsync("data-status", status!);
            live++;
        }
        var byWorker = await Database.ScalarAsync<long>("SELECT count(*) FROM application_audit WHERE from_status = 'VALIDATING' AND actor_id = 'worker'");

        ChaosReport.Verdict("two app processes with live updates crossing",
            final.IsClean(Count) && byWorker == Count && live == Count && navigations == 0 && officer.Errors.Count == 0,
            $"{Count} submitted on the front process (no processing), decided by the worker process: {byWorker}/{Count}; "
            + $"rows showing the decided status live on the front's grid: {live}/{Count}; page loads {navigations}; {final}");
    }
}
