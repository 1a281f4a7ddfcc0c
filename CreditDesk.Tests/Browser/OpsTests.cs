using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CreditDesk.Tests.Browser;

public sealed class OpsBrowserFixture : BrowserFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Bureaus:Resilience:MinimumThroughput"] = "3",
        ["Bureaus:Resilience:BreakDuration"] = "00:05:00",
        ["Bureaus:Resilience:MaxRetryAttempts"] = "0",
    };
}

public sealed class OpsTests(OpsBrowserFixture fixture) : IClassFixture<OpsBrowserFixture>
{
    [Fact]
    public async Task An_admin_breaks_a_bureau_watches_its_circuit_open_resets_it_and_retries_a_dead_letter()
    {
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/ops");
        var page = admin.Page;
        await Expect(page.GetByTestId("ops-circuit-CO")).ToHaveAttributeAsync("data-state", "Closed");

        await page.GetByTestId("ops-failure-CO").FillAsync("100");
        await page.GetByTestId("ops-faults-apply-CO").ClickAsync();
        await Expect(page.GetByTestId("ops-faults-message")).ToContainTextAsync("failure rate 100 %");
        var submission = fixture.App.Services.GetRequiredService<ApplicationSubmission>();
        for (var i = 0; i < 4; i++)
        {
            await submission.SubmitAsync(ApplicationTestData.Colombian());
        }
        await Expect(page.GetByTestId("ops-circuit-CO")).ToHaveAttributeAsync("data-state", "Open", new() { Timeout = 10_000 });
        await admin.ScreenshotAsync("ops-circuit-open");

        await page.GetByTestId("ops-failure-CO").FillAsync("0");
        await page.GetByTestId("ops-faults-apply-CO").ClickAsync();
        await page.GetByTestId("ops-reset-CO").ClickAsync();
        await Expect(page.GetByTestId("ops-circuit-CO")).ToHaveAttributeAsync("data-state", "Closed");

        var poisoned = await submission.SubmitAsync(ApplicationTestData.Colombian(income: 1_000_000m));
        await fixture.Database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(10), 5);
        await fixture.Database.ExecuteAsync($"""
            UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{poisoned}';
            INSERT INTO dead_letters (application_id, attempts, error, failed_at) VALUES ('{poisoned}', 5, 'TimeoutException: database went away', now());
            """);
        await page.GetByTestId($"ops-dlq-retry-{poisoned}").ClickAsync();

        await Expect(page.GetByTestId("ops-dlq-message")).ToContainTextAsync("Decided: REJECTED");
        await Expect(page.GetByTestId($"ops-dlq-row-{poisoned}")).ToHaveCountAsync(0);
        Assert.Equal("REJECTED", await fixture.Database.StatusAsync(poisoned));
        var shownDepth = await page.GetByTestId("ops-queue-depth").GetAttributeAsync("data-value");
        Assert.Equal((await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM application_outbox WHERE available_at <= now()")).ToString(System.Globalization.CultureInfo.InvariantCulture), shownDepth);
        await admin.ScreenshotAsync("ops");
        admin.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task During_a_burst_of_submissions_the_queue_on_ops_rises_and_drains_live()
    {
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(BrowserFixture.AdminEmail, BrowserFixture.AdminPassword, "/ops");
        var page = admin.Page;
        await page.GetByTestId("ops-latency-MX").FillAsync("150");
        await page.GetByTestId("ops-faults-apply-MX").ClickAsync();
        await Expect(page.GetByTestId("ops-faults-message")).ToContainTextAsync("latency 150 ms");
        var submission = fixture.App.Services.GetRequiredService<ApplicationSubmission>();

        var burst = Task.Run(async () =>
        {
            foreach (var i in Enumerable.Range(0, 300))
            {
                var curp = Curp(i);
                await submission.SubmitAsync(new CreditDesk.Domain.Applications.ApplicationForm("MX", "Gloria Hernández", curp, 50_000m, 20_000m, 24), "burst", null, CancellationToken.None);
            }
        });

        await Expect(page.GetByTestId("ops-queue-depth")).Not.ToHaveAttributeAsync("data-value", "0", new() { Timeout = 10_000 });
        await admin.ScreenshotAsync("ops-queue-rising");
        await burst;
        await Expect(page.GetByTestId("ops-queue-depth")).ToHaveAttributeAsync("data-value", "0", new() { Timeout = 30_000 });
        await page.GetByTestId("ops-latency-MX").FillAsync("0");
        await page.GetByTestId("ops-faults-apply-MX").ClickAsync();
    }

    /// <summary>Distinct valid CURPs: the internal consonants vary, the check digit follows.</summary>
    private static string Curp(int i)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
        const string consonants = "BCDFGHJKLMNPQRSTVWXYZ";
        var body = $"HEGG560427MVZR{consonants[i % 21]}{consonants[i / 21 % 21]}0";
        var sum = body.Select((c, index) => alphabet.IndexOf(c, StringComparison.Ordinal) * (18 - index)).Sum();
        return body + (10 - sum % 10) % 10;
    }

    [Fact]
    public async Task An_officer_cannot_open_ops()
    {
        await using var officer = await fixture.OpenAsync();
        await officer.SignInAsync(BrowserFixture.OfficerEmail, BrowserFixture.OfficerPassword, "/ops");

        await Expect(officer.Page.GetByTestId("not-allowed")).ToBeVisibleAsync();
        await Expect(officer.Page.GetByTestId("ops-queue-depth")).ToHaveCountAsync(0);
    }
}
