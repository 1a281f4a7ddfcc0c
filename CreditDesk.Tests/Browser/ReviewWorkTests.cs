using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class ReviewWorkTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_officer_claims_an_application_and_adds_a_note_and_an_admin_watching_it_sees_both_live_then_finds_it_in_the_officers_queue()
    {
        var id = await SeedUnderReviewAsync();
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, $"/applications/{id}");
        var adminPanel = admin.Page.GetByTestId("review-panel");
        await Expect(adminPanel).ToHaveAttributeAsync("data-assignee", "");

        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");
        await officer.Page.GetByTestId("review-claim").ClickAsync();
        await Expect(officer.Page.GetByTestId("review-holder")).ToContainTextAsync(BrowserFixture.OfficerEmail);
        await officer.Page.GetByTestId("review-note-text").FillAsync("Asked for the last three payslips");
        await officer.Page.GetByTestId("review-note-add").ClickAsync();

        await Expect(admin.Page.GetByTestId("review-holder")).ToContainTextAsync(BrowserFixture.OfficerEmail);
        await Expect(admin.Page.GetByTestId("review-note")).ToContainTextAsync("Asked for the last three payslips");
        await Expect(admin.Page.GetByTestId("review-assignment")).ToHaveAttributeAsync("data-action", "claimed");
        await admin.ScreenshotAsync("detail-review-notes");

        await officer.Page.GotoAsync("/applications?queue=mine");
        await Expect(officer.Page.GetByTestId($"app-row-{id}")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId($"app-assignee-{id}")).ToContainTextAsync(BrowserFixture.OfficerEmail);
        await officer.Page.GotoAsync("/applications?queue=none");
        await Expect(officer.Page.GetByTestId("applications-grid")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId($"app-row-{id}")).ToHaveCountAsync(0);
        admin.AssertNoConsoleErrors();
        officer.AssertNoConsoleErrors();
    }

    private async Task<Guid> SeedUnderReviewAsync()
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var id = await Infrastructure.ApplicationTestData.SubmitAsync(submission, Infrastructure.ApplicationTestData.Colombian());
        await fixture.Database.ExecuteAsync(
            $"DELETE FROM application_outbox WHERE application_id = '{id}'; UPDATE credit_applications SET status = 'UNDER_REVIEW', updated_at = now() WHERE id = '{id}'");
        return id;
    }
}
