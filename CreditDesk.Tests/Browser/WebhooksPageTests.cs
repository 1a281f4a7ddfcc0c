using System.Net;
using CreditDesk.Tests.Chaos;
using CreditDesk.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

/// <summary>Issue #17: admins register partners' endpoints, see the secret once, read the delivery log and send again by hand.</summary>
public sealed class WebhooksPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_registers_an_endpoint_sees_its_secret_once_watches_a_failing_delivery_and_sends_it_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, _, _) => Task.FromResult(500);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/webhooks");

        await admin.Page.GetByTestId("webhook-url").FillAsync(receiver.Url);
        await admin.Page.GetByTestId("webhook-description").FillAsync("Banco Andino, credit events");
        await admin.Page.GetByTestId("webhook-type-application.submitted").ClickAsync();
        await admin.Page.GetByTestId("webhook-save").ClickAsync();

        await Expect(admin.Page.GetByTestId("webhook-secret")).ToContainTextAsync("whsec_");
        var id = await fixture.Database.ScalarAsync<Guid>($"SELECT id FROM webhook_endpoints WHERE url = '{receiver.Url}'");
        Assert.Equal("{application.submitted,application.decided}",
            await fixture.Database.ScalarAsync<string>($"SELECT event_types::text FROM webhook_endpoints WHERE id = '{id}'"));
        await Expect(admin.Page.GetByTestId($"webhook-endpoint-{id}")).ToHaveAttributeAsync("data-enabled", "true");

        using var applicant = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        applicant.DefaultRequestHeaders.Authorization = new("Bearer", AppProcess.DevelopmentApplicantKey);
        using var created = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(5), "a first, refused, attempt");
        var delivery = await fixture.Database.ScalarAsync<long>($"SELECT min(id) FROM webhook_deliveries WHERE endpoint_id = '{id}'");
        var row = admin.Page.GetByTestId($"webhook-delivery-{delivery}");
        await Expect(row).ToHaveAttributeAsync("data-state", "pending", new() { Timeout = 5_000 });
        await Expect(admin.Page.GetByTestId("webhook-deliveries")).ToContainTextAsync("HTTP 500");
        await admin.ScreenshotAsync("webhooks");
        await admin.Page.SetViewportSizeAsync(390, 844);
        await admin.ScreenshotAsync("webhooks-phone");
        Assert.True(await admin.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await admin.Page.SetViewportSizeAsync(1400, 900);

        receiver.Respond = (_, _, _) => Task.FromResult(204);
        await admin.Page.GetByTestId($"webhook-redeliver-{delivery}").ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-state", "delivered", new() { Timeout = 5_000 });
        Assert.Contains(receiver.Received, hook => hook.Status == 204 && hook.Type == "application.submitted");
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_attempts WHERE delivery_id = {delivery} AND manual"));

        await admin.GotoAsync("/webhooks");
        await Expect(admin.Page.GetByTestId("webhook-secret")).ToHaveCountAsync(0);
        await admin.Page.GetByTestId($"webhook-toggle-{id}").ClickAsync();
        await Expect(admin.Page.GetByTestId($"webhook-endpoint-{id}")).ToHaveAttributeAsync("data-enabled", "false");
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_refused_address_is_explained_in_the_readers_language_and_nothing_is_registered()
    {
        await using var admin = await fixture.OpenAsync("es-ES");
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/webhooks");
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints");

        await admin.Page.GetByTestId("webhook-url").FillAsync("ftp://banco.example/eventos");
        await admin.Page.GetByTestId("webhook-type-application.decided").ClickAsync();
        await admin.Page.GetByTestId("webhook-save").ClickAsync();

        var problems = admin.Page.GetByTestId("webhook-problems");
        await Expect(problems).ToContainTextAsync("Indique una dirección http(s) completa.");
        await Expect(problems).ToContainTextAsync("Elija al menos un evento.");
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints"));
        await admin.ScreenshotAsync("webhooks-es");
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_officer_cannot_open_the_webhooks_page()
    {
        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/webhooks");

        await Expect(officer.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("webhook-form")).ToHaveCountAsync(0);
    }
}
