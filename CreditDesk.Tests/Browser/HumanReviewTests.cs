using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>Issue #23's round trip: an applicant asks for a person to review an automatic rejection and sees the outcome live.</summary>
public sealed class HumanReviewTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_applicant_asks_for_a_human_review_of_a_rejection_the_officer_finds_it_in_the_queue_changes_it_and_the_applicant_sees_it_live()
    {
        var id = await RejectedAsync();
        await using var applicant = await fixture.OpenAsync();
        await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, $"/my/applications/{id}");
        await Expect(applicant.Page.GetByTestId("my-application")).ToHaveAttributeAsync("data-status", "REJECTED");
        await applicant.Page.GetByTestId("human-review-statement").FillAsync("My income doubled last month; I can send the new contract.");
        await applicant.Page.GetByTestId("human-review-submit").ClickAsync();
        await Expect(applicant.Page.GetByTestId("human-review-waiting")).ToBeVisibleAsync();
        await Expect(applicant.Page.GetByTestId("human-review-submit")).ToHaveCountAsync(0);
        await applicant.ScreenshotAsync("my-application-human-review-asked");

        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications?queue=review");
        await Expect(officer.Page.GetByTestId($"app-review-requested-{id}")).ToBeVisibleAsync();
        await officer.Page.GetByTestId($"app-row-{id}").ClickAsync();
        await Expect(officer.Page.GetByTestId("detail-policy-version")).ToHaveAttributeAsync("data-automated", "true");
        await Expect(officer.Page.GetByTestId("review-request-statement")).ToContainTextAsync("My income doubled last month");
        await officer.Page.GetByTestId("review-outcome-changed").ClickAsync();
        await officer.Page.GetByTestId("review-outcome-explanation").FillAsync("With the new contract your income is enough: an officer will decide again.");
        await officer.ScreenshotAsync("detail-human-review-request");
        await officer.Page.GetByTestId("review-outcome-save").ClickAsync();
        await Expect(officer.Page.GetByTestId("review-request")).ToHaveAttributeAsync("data-outcome", "changed");
        await Expect(officer.Page.GetByTestId("app-detail")).ToHaveAttributeAsync("data-status", "UNDER_REVIEW");

        // Live, without a reload: the outcome, the explanation and the reopened status.
        await Expect(applicant.Page.GetByTestId("human-review-outcome")).ToHaveAttributeAsync("data-outcome", "changed");
        await Expect(applicant.Page.GetByTestId("human-review-explanation")).ToContainTextAsync("With the new contract your income is enough");
        await Expect(applicant.Page.GetByTestId("my-application")).ToHaveAttributeAsync("data-status", "UNDER_REVIEW");
        await applicant.ScreenshotAsync("my-application-human-review-outcome");
        // Nothing recorded was rewritten: the rules' decision stands beside the person's, which supersedes it.
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM decisions WHERE application_id = '{id}'"));
        Assert.Equal("REJECTED", await fixture.Database.ScalarAsync<string>(
            $"SELECT status FROM decisions WHERE application_id = '{id}' AND solely_automated"));
        // One notice per decision the applicant was shown (the rejection, then the reopening), however often the page rendered.
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(DISTINCT decision_id) FROM decision_notices WHERE application_id = '{id}' AND channel = 'screen' AND language = 'en'"));
        Assert.Equal(2L, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM decision_notices WHERE application_id = '{id}' AND channel = 'screen' AND language = 'en'"));
        applicant.AssertNoConsoleErrors();
        officer.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("es-ES")]
    [InlineData("pt-BR")]
    public async Task On_a_phone_the_applicant_asks_for_a_review_in_their_language_and_the_ops_page_counts_it(string locale)
    {
        var id = await RejectedAsync();
        await using var applicant = await fixture.OpenAsync(locale);
        await applicant.Page.SetViewportSizeAsync(390, 844);
        await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, $"/my/applications/{id}");
        await Expect(applicant.Page.GetByTestId("human-review")).ToBeVisibleAsync();
        await applicant.Page.GetByTestId("human-review-statement").FillAsync("Mi situación ha cambiado.");
        await applicant.Page.GetByTestId("human-review-submit").ClickAsync();
        await Expect(applicant.Page.GetByTestId("human-review-waiting")).ToBeVisibleAsync();
        await applicant.ScreenshotAsync($"my-application-human-review-phone-{locale}");
        Assert.True(await applicant.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        Assert.DoesNotContain("human review", await applicant.Page.GetByTestId("human-review").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM decision_notices WHERE application_id = '{id}' AND language = '{locale}'"));

        await using var admin = await fixture.OpenAsync(locale);
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/ops");
        var open = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM review_requests WHERE outcome IS NULL");
        await Expect(admin.Page.GetByTestId("ops-review-requests")).ToHaveAttributeAsync("data-value", open.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(admin.Page.GetByTestId("ops-review-oldest")).ToBeVisibleAsync();
        applicant.AssertNoConsoleErrors();
        admin.AssertNoConsoleErrors();
    }

    /// <summary>The demo applicant's Colombian application, rejected by the rules (income below the minimum).</summary>
    private async Task<Guid> RejectedAsync()
    {
        var submission = (ApplicationSubmission)fixture.App.Services.GetService(typeof(ApplicationSubmission))!;
        var created = await submission.SubmitAsync(Infrastructure.ApplicationTestData.Colombian(amount: 50_000_000m, income: 300_000m), "dev-applicant", "dev-applicant",
            CancellationToken.None);
        var id = ((SubmissionResult.Created)created).Id;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await fixture.Database.StatusAsync(id) is "PENDING" or "VALIDATING" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal("REJECTED", await fixture.Database.StatusAsync(id));
        return id;
    }
}
