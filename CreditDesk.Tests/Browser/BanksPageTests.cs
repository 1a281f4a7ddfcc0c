using System.Globalization;
using System.Net;
using System.Text.Json;
using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>Issue #17.3: admins register bank partners, hand a bank its key once, give it an application, and revoke the key.</summary>
public sealed class BanksPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_registers_a_bank_gets_its_key_once_gives_it_an_approved_application_and_revokes_the_key()
    {
        var application = await ApprovedSpanishApplicationAsync();
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/banks");

        await admin.Page.GetByTestId("bank-name").FillAsync("Banco Meseta");
        await admin.ChooseAsync("bank-country", "Spain");
        await admin.Page.GetByTestId("bank-contact").FillAsync("Ana Gil, operaciones");
        await admin.Page.GetByTestId("bank-save").ClickAsync();

        await Expect(admin.Page.GetByTestId("bank-secret")).ToContainTextAsync("bksec_");
        var keyId = (await admin.Page.GetByTestId("bank-key-id").TextContentAsync())!.Trim();
        var secret = (await admin.Page.GetByTestId("bank-secret").TextContentAsync())!.Trim();
        var bank = await fixture.Database.ScalarAsync<Guid>("SELECT id FROM banks WHERE name = 'Banco Meseta'");
        await Expect(admin.Page.GetByTestId($"bank-{bank}")).ToHaveAttributeAsync("data-active", "true");
        await Expect(admin.Page.GetByTestId($"bank-key-{keyId}")).ToHaveAttributeAsync("data-works", "true");
        await admin.ScreenshotAsync("banks");
        await admin.Page.SetViewportSizeAsync(390, 844);
        await admin.ScreenshotAsync("banks-phone");
        Assert.True(await admin.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await admin.Page.SetViewportSizeAsync(1400, 900);

        // Approval gave the application to the development bank; the admin gives it to the new one on its detail.
        await admin.GotoAsync($"/applications/{application}");
        await Expect(admin.Page.GetByTestId("detail-bank-name")).ToHaveTextAsync("Banco Demo");
        await admin.ChooseAsync("detail-bank-choice", "Banco Meseta");
        await admin.Page.GetByTestId("detail-bank-assign").ClickAsync();
        await Expect(admin.Page.GetByTestId("detail-bank-name")).ToHaveTextAsync("Banco Meseta");
        Assert.Equal(bank, await fixture.Database.ScalarAsync<Guid>($"SELECT bank_id FROM credit_applications WHERE id = '{application}'"));
        await admin.ScreenshotAsync("detail-bank");

        // The bank signs with the key it was handed; revoked on the page, the key is refused at once.
        using (var confirmed = await ConfirmAsync(application, keyId, secret, "disbursement.completed"))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
        await Expect(admin.Page.GetByTestId("app-detail")).ToHaveAttributeAsync("data-status", "DISBURSED");
        await admin.GotoAsync("/banks");
        await Expect(admin.Page.GetByTestId("bank-secret")).ToHaveCountAsync(0);
        await admin.Page.GetByTestId($"bank-revoke-{keyId}").ClickAsync();
        await admin.Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(admin.Page.GetByTestId($"bank-key-{keyId}")).ToHaveAttributeAsync("data-works", "false");
        using (var refused = await ConfirmAsync(application, keyId, secret, "account.verified"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_registration_without_name_or_country_is_explained_in_the_readers_language_and_nothing_is_registered()
    {
        await using var admin = await fixture.OpenAsync("es-ES");
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/banks");
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM banks");

        await admin.Page.GetByTestId("bank-save").ClickAsync();

        var problems = admin.Page.GetByTestId("bank-problems");
        await Expect(problems).ToContainTextAsync("Indique el nombre del banco");
        await Expect(problems).ToContainTextAsync("Elija el país del banco.");
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM banks"));
        await Expect(admin.Page.GetByTestId("bank-list")).ToContainTextAsync("Banco Demo");
        await admin.ScreenshotAsync("banks-es");
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_officer_cannot_open_the_banks_page_and_sees_an_applications_bank_without_changing_it()
    {
        var application = await ApprovedSpanishApplicationAsync();
        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/banks");

        await Expect(officer.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("bank-form")).ToHaveCountAsync(0);
        await Expect(officer.Page.GetByTestId("nav-banks")).ToHaveCountAsync(0);

        await officer.GotoAsync($"/applications/{application}");
        await Expect(officer.Page.GetByTestId("detail-bank-name")).ToHaveTextAsync("Banco Demo");
        await Expect(officer.Page.GetByTestId("detail-bank-choice")).ToHaveCountAsync(0);
    }

    private async Task<Guid> ApprovedSpanishApplicationAsync()
    {
        var submission = fixture.App.Services.GetRequiredService<ApplicationSubmission>();
        return await fixture.Database.SubmitOutOfPipelineAsync(
            () => submission.SubmitAsync(new ApplicationForm("ES", "Marta Ruiz", ApplicationTestData.NextDni(), 9_000m, 3_000m, 36)), "APPROVED");
    }

    private Task<HttpResponseMessage> ConfirmAsync(Guid application, string keyId, string secret, string type)
    {
        var body = TestBanks.Event(application, type, amount: "9000.00", currency: "EUR", reference: "meseta-1");
        return TestBanks.SendAsync(fixture.App.BaseAddress, body, WebhookSignature.Sign(keyId, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
    }
}
