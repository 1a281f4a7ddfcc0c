using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class LoanDeskTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Decided = ["APPROVED", "REJECTED", "UNDER_REVIEW"];

    [Fact]
    public async Task An_applicant_submits_a_valid_application_and_sees_it_decided_without_reloading()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        await browser.FillApplicationAsync("Brazil", "Beatriz Oliveira Souza", "529.982.247-25", "30000", "7000", "48");
        await Expect(page.GetByTestId("apply-document")).ToHaveAccessibleNameAsync("CPF");
        await Expect(page.GetByTestId("apply-amount")).ToHaveAccessibleNameAsync("Requested amount (BRL)");
        await browser.ScreenshotAsync("apply-form");
        await page.GetByTestId("apply-submit").ClickAsync();

        var result = page.GetByTestId("apply-result");
        await Expect(result).ToBeVisibleAsync();
        var id = Guid.Parse((await result.GetAttributeAsync("data-id"))!);
        await Expect(page.GetByTestId("apply-status")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(APPROVED|REJECTED|UNDER_REVIEW)$"),
            new LocatorAssertionsToHaveAttributeOptions { Timeout = 10_000 });
        await browser.ScreenshotAsync("apply-decided");

        Assert.Equal(0, navigations);
        Assert.Contains(await fixture.Database.StatusAsync(id), Decided);
        Assert.Equal("dev-applicant", await fixture.Database.ScalarAsync<string>($"SELECT applicant_user_id FROM credit_applications WHERE id = '{id}'"));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_invalid_document_shows_the_field_error_and_creates_no_row()
    {
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
        var page = browser.Page;
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");

        await browser.ChooseAsync("apply-country", "Spain");
        await page.GetByTestId("apply-full-name").FillAsync("Lucía Fernández");
        await page.GetByTestId("apply-document").PressSequentiallyAsync("12345678A");
        await Expect(page.GetByTestId("error-document")).ToContainTextAsync("control letter");
        await page.GetByTestId("apply-amount").FillAsync("5000");
        await page.GetByTestId("apply-income").FillAsync("2000");
        await page.GetByTestId("apply-submit").ClickAsync();
        await browser.ScreenshotAsync("apply-invalid-document");

        await Expect(page.GetByTestId("error-document")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("apply-result")).ToHaveCountAsync(0);
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    [Fact]
    public async Task An_officer_filters_by_country_and_status_and_sees_only_matching_rows()
    {
        var brazil = await SeedAsync("BR", "UNDER_REVIEW");
        var brazilApproved = await SeedAsync("BR", "APPROVED");
        var spain = await SeedAsync("ES", "UNDER_REVIEW");
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var page = browser.Page;
        await browser.ScreenshotAsync("applications-all");
        await Expect(page.GetByTestId($"app-row-{spain}")).ToBeVisibleAsync();

        await browser.ChooseAsync("filter-country", "Brazil");
        await browser.ChooseAsync("filter-status", "Under review");

        await Expect(page.GetByTestId($"app-row-{brazil}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"app-row-{spain}")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId($"app-row-{brazilApproved}")).ToHaveCountAsync(0);
        var rows = page.Locator("[data-testid^='app-row-']");
        foreach (var status in await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-status'))"))
        {
            Assert.Equal("UNDER_REVIEW", status);
        }
        await browser.ScreenshotAsync("applications-filtered");
    }

    [Fact]
    public async Task An_admin_approves_an_application_under_review_and_an_officer_sees_the_row_change_live()
    {
        var id = await SeedAsync("CO", "UNDER_REVIEW");
        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var officerRow = officer.Page.GetByTestId($"app-row-{id}");
        await Expect(officerRow).ToHaveAttributeAsync("data-status", "UNDER_REVIEW");

        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, $"/applications/{id}");
        var detail = admin.Page.GetByTestId("app-detail");
        await Expect(detail).ToHaveAttributeAsync("data-status", "UNDER_REVIEW");
        await Expect(admin.Page.GetByTestId("detail-risk-score")).ToBeVisibleAsync();
        await admin.ChooseAsync("status-select", "Approved");
        await admin.Page.GetByTestId("status-reason").FillAsync("Income verified with payslips");
        await admin.Page.GetByTestId("status-apply").ClickAsync();

        await Expect(detail).ToHaveAttributeAsync("data-status", "APPROVED");
        await Expect(admin.Page.GetByTestId("detail-audit")).ToContainTextAsync("Income verified with payslips");
        await admin.ScreenshotAsync("detail-admin-approved");
        await Expect(officerRow).ToHaveAttributeAsync("data-status", "APPROVED");
        await officer.ScreenshotAsync("applications-live-update");
        admin.AssertNoConsoleErrors();
        officer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Officers_see_the_document_masked_in_the_detail()
    {
        var id = await SeedAsync("CO", "UNDER_REVIEW");
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, $"/applications/{id}");

        await Expect(browser.Page.GetByTestId("detail-document")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\*\*\*\*\d{4}$"));
        await Expect(browser.Page.GetByTestId("detail-admin")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_applicant_opening_another_applicants_deep_link_sees_not_found()
    {
        var someoneElses = await SeedAsync("CO", "UNDER_REVIEW");
        await using var browser = await fixture.OpenAsync();

        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, $"/applications/{someoneElses}");

        await Expect(browser.Page.GetByTestId("detail-not-found")).ToBeVisibleAsync();
        await Expect(browser.Page.GetByTestId("app-detail")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_applicant_finds_their_application_in_their_own_list_and_cancels_it_while_pending()
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var result = await submission.SubmitAsync(Infrastructure.ApplicationTestData.Colombian(), "dev-applicant", "dev-applicant", CancellationToken.None);
        var id = ((CreditDesk.Infrastructure.Applications.SubmissionResult.Created)result).Id;
        // Kept PENDING whatever the pipeline already did with it (it may have decided it before the outbox row went).
        await fixture.Database.ExecuteAsync(
            $"DELETE FROM application_outbox WHERE application_id = '{id}'; UPDATE credit_applications SET status = 'PENDING', updated_at = now() WHERE id = '{id}'");
        await using var browser = await fixture.OpenAsync();
        await browser.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/applications");
        var page = browser.Page;

        await page.WaitForURLAsync(url => url.EndsWith("/my/applications", StringComparison.Ordinal));
        await Expect(page.GetByTestId("applications-grid")).ToHaveCountAsync(0);
        await page.GetByTestId($"my-application-{id}").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("my-application-status")).ToHaveAttributeAsync("data-status", "PENDING");
        await Expect(page.GetByTestId("my-application")).Not.ToContainTextAsync("Risk");
        await page.GetByTestId("my-application-cancel").ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Cancel application" }).ClickAsync();

        await Expect(page.GetByTestId("my-application-status")).ToHaveAttributeAsync("data-status", "CANCELLED");
        await Expect(page.GetByTestId("my-application-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("my-application-cancel")).ToHaveCountAsync(0);
        Assert.Equal("CANCELLED", await fixture.Database.StatusAsync(id));
        await browser.ScreenshotAsync("applicant-cancelled");
        browser.AssertNoConsoleErrors();
    }

    /// <summary>An application submitted through the real intake (by nobody in particular), then put in the wanted status.</summary>
    private async Task<Guid> SeedAsync(string country, string status)
    {
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var form = country switch
        {
            "BR" => new CreditDesk.Domain.Applications.ApplicationForm("BR", "Rafael Lima", Infrastructure.ApplicationTestData.NextCpf(), 20_000m, 9_000m, 36),
            "ES" => new CreditDesk.Domain.Applications.ApplicationForm("ES", "Marta Ruiz", Infrastructure.ApplicationTestData.NextDni(), 9_000m, 3_000m, 36),
            _ => Infrastructure.ApplicationTestData.Colombian(),
        };
        var id = await Infrastructure.ApplicationTestData.SubmitAsync(submission, form);
        await fixture.Database.ExecuteAsync(
            $"DELETE FROM application_outbox WHERE application_id = '{id}'; UPDATE credit_applications SET status = '{status}', updated_at = now() WHERE id = '{id}'");
        return id;
    }
}
