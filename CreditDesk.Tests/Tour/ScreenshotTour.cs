using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Tour;

public sealed class TourFixture : BrowserFixture
{
    // The tour signs three people in at every width and theme, faster than one address may sign in (20 a minute) in production.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Seed:SampleApplications"] = "true",
        ["RateLimits:sign-in:PermitLimit"] = "1000",
    };
}

/// <summary>
/// The desk as a person sees it, at desktop, tablet and phone widths and in both themes: `./build.sh screenshots` writes
/// these into docs/screenshots (README's pictures) so they are retaken from the UI as it is, never drawn by hand.
/// </summary>
[Trait("Category", "Screenshots")]
public sealed class ScreenshotTour(TourFixture fixture) : IClassFixture<TourFixture>
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1400, 900), ("tablet", 1024, 768), ("phone", 390, 844)];

    private static string Folder => Environment.GetEnvironmentVariable("CREDITDESK_SCREENSHOTS_OUT") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "tour");

    [Fact]
    public async Task Every_main_screen_at_every_width_and_in_both_themes()
    {
        Directory.CreateDirectory(Folder);
        await fixture.Database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(30), 12);
        var someId = await fixture.Database.ScalarAsync<Guid>("SELECT id FROM credit_applications WHERE status = 'UNDER_REVIEW' ORDER BY created_at LIMIT 1");
        // The demo applicant's own application, decided, as they would find it under My applications.
        var submission = (CreditDesk.Infrastructure.Applications.ApplicationSubmission)fixture.App.Services.GetService(typeof(CreditDesk.Infrastructure.Applications.ApplicationSubmission))!;
        var created = await submission.SubmitAsync(new CreditDesk.Domain.Applications.ApplicationForm("ES", "Lucía Fernández Ortega", Infrastructure.ApplicationTestData.NextDni(), 9_000m, 3_200m, 36),
            "dev-applicant", "dev-applicant", CancellationToken.None);
        var ownId = ((CreditDesk.Infrastructure.Applications.SubmissionResult.Created)created).Id;
        await fixture.Database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(30), 14);

        foreach (var (size, width, height) in Sizes)
        {
            foreach (var dark in new[] { false, true })
            {
                var theme = dark ? "dark" : "light";
                await using var anonymous = await OpenAsync(width, height, dark);
                await anonymous.Page.GotoAsync("/account/login");
                await ShotAsync(anonymous, $"sign-in-{size}-{theme}");

                await using var applicant = await OpenAsync(width, height, dark);
                await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
                await applicant.Page.GetByTestId("apply-submit").ClickAsync();
                await ShotAsync(applicant, $"apply-errors-{size}-{theme}");
                await applicant.FillApplicationAsync("Brazil", "Beatriz Oliveira Souza", "529.982.247-25", "15,000.50", "7,000");
                await Expect(applicant.Page.GetByTestId("apply-amount-understood")).ToBeVisibleAsync();
                await ShotAsync(applicant, $"apply-understood-{size}-{theme}");
                await applicant.GotoAsync($"/my/applications/{ownId}");
                await Expect(applicant.Page.GetByTestId("my-application")).ToBeVisibleAsync();
                await ShotAsync(applicant, $"my-application-{size}-{theme}");

                await using var officer = await OpenAsync(width, height, dark);
                await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
                await Expect(officer.Page.Locator("[data-testid^='app-row-']").First).ToBeVisibleAsync();
                await ShotAsync(officer, $"applications-{size}-{theme}");

                await using var admin = await OpenAsync(width, height, dark);
                await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, $"/applications/{someId}");
                await Expect(admin.Page.GetByTestId("app-detail")).ToBeVisibleAsync();
                await ShotAsync(admin, $"detail-admin-{size}-{theme}");
                await admin.GotoAsync("/ops");
                await Expect(admin.Page.GetByTestId("ops-queue-depth")).ToBeVisibleAsync();
                await ShotAsync(admin, $"ops-{size}-{theme}");
                await admin.GotoAsync("/banks");
                await Expect(admin.Page.GetByTestId("bank-list")).ToContainTextAsync("Banco Demo");
                await ShotAsync(admin, $"banks-{size}-{theme}");
            }
        }
    }

    [Fact]
    public async Task The_main_screens_in_each_language_at_desktop_and_phone_width()
    {
        Directory.CreateDirectory(Folder);
        await fixture.Database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(30), 12);
        var someId = await fixture.Database.ScalarAsync<Guid>("SELECT id FROM credit_applications WHERE status = 'UNDER_REVIEW' ORDER BY created_at LIMIT 1");
        foreach (var (locale, brazil) in new[] { ("es-ES", "Brasil"), ("pt-BR", "Brasil"), ("it-IT", "Brasile") })
        {
            foreach (var (size, width, height) in Sizes.Where(s => s.Name != "tablet"))
            {
                await using var applicant = await OpenAsync(width, height, dark: false, locale);
                await applicant.SignInAsync(BrowserFixture.ApplicantEmail, BrowserFixture.ApplicantPassword, "/apply");
                await applicant.FillApplicationAsync(brazil, "Beatriz Oliveira Souza", "529.982.247-25", "15.000,50", "7.000");
                await Expect(applicant.Page.GetByTestId("apply-amount-understood")).ToBeVisibleAsync();
                await ShotAsync(applicant, $"apply-understood-{size}-{locale}");

                await using var admin = await OpenAsync(width, height, dark: false, locale);
                await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/applications");
                await Expect(admin.Page.Locator("[data-testid^='app-row-']").First).ToBeVisibleAsync();
                await ShotAsync(admin, $"applications-{size}-{locale}");
                await admin.GotoAsync($"/applications/{someId}");
                await Expect(admin.Page.GetByTestId("app-detail")).ToBeVisibleAsync();
                await ShotAsync(admin, $"detail-admin-{size}-{locale}");
            }
        }
    }

    private async Task<BrowserPage> OpenAsync(int width, int height, bool dark, string locale = "en-US")
    {
        var page = await fixture.OpenAsync(locale);
        await page.Page.SetViewportSizeAsync(width, height);
        await page.Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light });
        return page;
    }

    private static async Task ShotAsync(BrowserPage browser, string name)
    {
        await browser.Page.WaitForTimeoutAsync(400);
        await browser.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png") });
    }
}
