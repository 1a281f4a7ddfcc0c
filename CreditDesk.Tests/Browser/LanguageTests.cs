using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>The language menu: a choice that survives navigation, live updates and the next sign-in; money in each application's own currency.</summary>
public sealed class LanguageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_officer_switches_to_Italian_and_keeps_it_across_navigation_a_live_update_and_the_next_sign_in()
    {
        var id = await SeedAsync(() => Infrastructure.ApplicationTestData.Colombian(), "UNDER_REVIEW");
        await using var officer = await fixture.OpenAsync("en-US");
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        var page = officer.Page;
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

        await page.GetByTestId("language-menu").ClickAsync();
        await page.GetByTestId("language-it-IT").ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "it-IT");
        await officer.WaitForCircuitAsync();
        await Expect(Heading(page)).ToHaveTextAsync("Domande");
        Assert.EndsWith("/applications", page.Url, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Panoramica" }).ClickAsync();
        await Expect(Heading(page)).ToHaveTextAsync("Paesi in cui concediamo credito");
        await page.GetByRole(AriaRole.Link, new() { Name = "Domande", Exact = true }).ClickAsync();
        var row = page.Locator("tr", new() { Has = page.GetByTestId($"app-row-{id}") });
        await Expect(row.Locator("[data-status]").Last).ToHaveTextAsync("In revisione");

        // A change made elsewhere arrives live, and is said in the circuit's language.
        await ((StatusChanges)fixture.App.Services.GetService(typeof(StatusChanges))!)
            .ChangeAsync(id, ApplicationStatus.Approved, Actor.Admin, "dev-admin", "Payslips checked", CancellationToken.None);
        await Expect(page.GetByTestId($"app-row-{id}")).ToHaveAttributeAsync("data-status", "APPROVED");
        await Expect(row.Locator(".cd-status-badge")).ToHaveTextAsync("Approvata");
        await officer.ScreenshotAsync("language-italian-live");

        // Another browser, whose own language is English: the choice comes back with the sign-in.
        await using var elsewhere = await fixture.OpenAsync("en-US");
        await elsewhere.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/applications");
        await Expect(elsewhere.Page.Locator("html")).ToHaveAttributeAsync("lang", "it-IT");
        await Expect(Heading(elsewhere.Page)).ToHaveTextAsync("Domande");
        officer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_officer_reading_in_Spanish_sees_each_rows_amount_in_its_own_currency()
    {
        var spain = await SeedAsync(() => Infrastructure.ApplicationTestData.Spanish(), "APPROVED");
        var brazil = await SeedAsync(() => Infrastructure.ApplicationTestData.Brazilian(), "APPROVED");
        var colombia = await SeedAsync(() => Infrastructure.ApplicationTestData.Colombian(), "APPROVED");
        await using var officer = await fixture.OpenAsync("es-ES");
        await officer.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/applications");
        var page = officer.Page;

        await Expect(Heading(page)).ToHaveTextAsync("Solicitudes");
        await Expect(AmountOf(page, spain)).ToHaveTextAsync("9.000,00 €");
        await Expect(AmountOf(page, brazil)).ToHaveTextAsync("20.000,00 R$");
        await Expect(AmountOf(page, colombia)).ToHaveTextAsync("5.000.000,00 COP");
        await Expect(page.Locator("tr", new() { Has = page.GetByTestId($"app-row-{spain}") }).Locator(".cd-status-badge")).ToHaveTextAsync("Aprobada");
        // MudBlazor's own words too.
        await Expect(page.GetByTestId("applications-grid")).ToContainTextAsync("Filas por página:");
        await officer.ScreenshotAsync("language-spanish-list");
    }

    private static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    private static ILocator AmountOf(IPage page, Guid id) =>
        page.Locator("tr", new() { Has = page.GetByTestId($"app-row-{id}") }).Locator("td.cd-right");

    /// <summary>A new form (a new document) for each try: one the drain decided first is left to it.</summary>
    private async Task<Guid> SeedAsync(Func<ApplicationForm> form, string status)
    {
        var submission = (ApplicationSubmission)fixture.App.Services.GetService(typeof(ApplicationSubmission))!;
        return await fixture.Database.SubmitOutOfPipelineAsync(() => Infrastructure.ApplicationTestData.SubmitAsync(submission, form()), status);
    }
}
