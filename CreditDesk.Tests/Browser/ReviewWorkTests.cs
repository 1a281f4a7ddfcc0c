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
        await officer.Page.GetByTestId("review-note-edit").ClickAsync();
        await officer.Page.GetByTestId("review-note-edit-text").FillAsync("Asked for the last three payslips and a bank statement");
        await officer.Page.GetByTestId("review-note-save").ClickAsync();

        await Expect(admin.Page.GetByTestId("review-holder")).ToContainTextAsync(BrowserFixture.OfficerEmail);
        await Expect(admin.Page.GetByTestId("review-note")).ToContainTextAsync("Asked for the last three payslips and a bank statement");
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

    [Fact]
    public async Task Above_the_limit_an_officer_proposes_an_approval_and_an_admin_confirms_it_and_both_see_it_live()
    {
        var id = await SeedUnderReviewAsync();
        // COP 300 000 000: above the default four-eyes limit (COP 200 000 000).
        await fixture.Database.ExecuteAsync($"UPDATE credit_applications SET requested_amount = 300000000 WHERE id = '{id}'");
        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/applications?queue=confirm");
        await Expect(admin.Page.GetByTestId("applications-grid")).ToBeVisibleAsync();
        await Expect(admin.Page.GetByTestId($"app-row-{id}")).ToHaveCountAsync(0);

        await officer.ChooseAsync("status-select", "Approved");
        await officer.Page.GetByTestId("status-reason").FillAsync("Payslips and bank statement verified");
        await Expect(officer.Page.GetByTestId("status-apply")).ToHaveAttributeAsync("data-propose", "true");
        await officer.Page.GetByTestId("status-apply").ClickAsync();
        await Expect(officer.Page.GetByTestId("proposal-waiting")).ToBeVisibleAsync();

        // The proposal puts it in the admin's "waiting for my confirmation" view, live.
        await admin.Page.GetByTestId($"app-row-{id}").ClickAsync();
        var proposal = admin.Page.GetByTestId("proposal");
        await Expect(proposal).ToHaveAttributeAsync("data-to", "APPROVED");
        await admin.ScreenshotAsync("detail-four-eyes-proposal");
        await admin.Page.GetByTestId("proposal-confirm").ClickAsync();

        await Expect(admin.Page.GetByTestId("app-detail")).ToHaveAttributeAsync("data-status", "APPROVED");
        await Expect(officer.Page.GetByTestId("app-detail")).ToHaveAttributeAsync("data-status", "APPROVED");
        await Expect(admin.Page.GetByTestId("audit-four-eyes")).ToContainTextAsync(BrowserFixture.OfficerEmail);
        admin.AssertNoConsoleErrors();
        officer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Above_the_limit_an_admin_who_proposes_waits_for_another_admin_and_is_offered_no_confirm_button()
    {
        var id = await SeedUnderReviewAsync();
        await fixture.Database.ExecuteAsync($"UPDATE credit_applications SET requested_amount = 300000000 WHERE id = '{id}'");
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, $"/applications/{id}");

        await admin.ChooseAsync("status-select", "Rejected");
        await admin.Page.GetByTestId("status-reason").FillAsync("Debt too high for the amount");
        await admin.Page.GetByTestId("status-apply").ClickAsync();

        await Expect(admin.Page.GetByTestId("proposal-waiting")).ToBeVisibleAsync();
        await Expect(admin.Page.GetByTestId("proposal-confirm")).ToHaveCountAsync(0);
        await Expect(admin.Page.GetByTestId("app-detail")).ToHaveAttributeAsync("data-status", "UNDER_REVIEW");
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_officer_asks_for_a_payslip_the_applicant_sees_the_request_live_uploads_a_PDF_and_the_officer_sees_it_live()
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var id = await fixture.Database.SubmitOutOfPipelineAsync(async () =>
            ((CreditDesk.Infrastructure.Applications.SubmissionResult.Created)await submission.SubmitAsync(
                Infrastructure.ApplicationTestData.Colombian(), "dev-applicant", "dev-applicant", CancellationToken.None)).Id, "UNDER_REVIEW");
        await using var applicant = await fixture.OpenAsync();
        await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, $"/my/applications/{id}");
        await Expect(applicant.Page.GetByTestId("documents-empty")).ToBeVisibleAsync();
        // Sent to a person by hand, not by a rule: no reasons to list, the status says a person is looking.
        await Expect(applicant.Page.GetByTestId("my-application-reasons")).ToHaveCountAsync(0);

        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");
        await officer.ChooseAsync("document-request-kind", "Payslip");
        await officer.Page.GetByTestId("document-request-message").FillAsync("Your last three payslips, please");
        await officer.Page.GetByTestId("document-request-send").ClickAsync();

        await Expect(applicant.Page.GetByTestId("document-request")).ToContainTextAsync("Your last three payslips, please");
        await applicant.ChooseAsync("document-kind", "Payslip");
        await applicant.Page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "payslip-october.pdf", MimeType = "application/pdf", Buffer = System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n% a payslip\n%%EOF\n"),
        });
        await Expect(applicant.Page.GetByTestId("document")).ToHaveAttributeAsync("data-kind", "payslip");
        await Expect(applicant.Page.GetByTestId("document-request")).ToHaveCountAsync(0);
        await applicant.ScreenshotAsync("my-application-documents");

        await Expect(officer.Page.GetByTestId("document")).ToHaveAttributeAsync("data-verified", "false");
        await officer.Page.GetByTestId("document-verify").ClickAsync();
        await Expect(applicant.Page.GetByTestId("document")).ToHaveAttributeAsync("data-verified", "true");
        applicant.AssertNoConsoleErrors();
        officer.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("es-ES")]
    [InlineData("pt-BR")]
    public async Task On_a_phone_the_review_panel_and_the_applicants_documents_fit_the_screen_in_the_readers_language(string locale)
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var id = await fixture.Database.SubmitOutOfPipelineAsync(async () =>
            ((CreditDesk.Infrastructure.Applications.SubmissionResult.Created)await submission.SubmitAsync(
                Infrastructure.ApplicationTestData.Colombian(), "dev-applicant", "dev-applicant", CancellationToken.None)).Id, "UNDER_REVIEW");
        await using var officer = await fixture.OpenAsync(locale);
        await officer.Page.SetViewportSizeAsync(390, 844);
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");
        await Expect(officer.Page.GetByTestId("review-panel")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("documents-panel")).ToBeVisibleAsync();
        await officer.ScreenshotAsync($"detail-review-phone-{locale}");
        await using var applicant = await fixture.OpenAsync(locale);
        await applicant.Page.SetViewportSizeAsync(390, 844);
        await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, $"/my/applications/{id}");
        await Expect(applicant.Page.GetByTestId("documents-panel")).ToBeVisibleAsync();
        await applicant.ScreenshotAsync($"my-application-documents-phone-{locale}");

        foreach (var page in new[] { officer.Page, applicant.Page })
        {
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
            Assert.Equal(locale[..2], await page.EvaluateAsync<string>("() => document.documentElement.lang.substring(0, 2)"));
        }
        Assert.DoesNotContain("Supporting documents", await applicant.Page.GetByTestId("documents-panel").InnerTextAsync(), StringComparison.Ordinal);
        officer.AssertNoConsoleErrors();
        applicant.AssertNoConsoleErrors();
    }

    private async Task<Guid> SeedUnderReviewAsync()
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        return await fixture.Database.SubmitOutOfPipelineAsync(
            () => Infrastructure.ApplicationTestData.SubmitAsync(submission, Infrastructure.ApplicationTestData.Colombian()), "UNDER_REVIEW");
    }
}
