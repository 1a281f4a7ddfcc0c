using Bunit;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Components.Applicant;

namespace CreditDesk.Tests.Components;

public sealed class ApplicantViewTests : DeskComponentContext
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static ApplicantView View(string status) => ApplicantView.From(
        new ApplicationSummary(Guid.CreateVersion7(), "ES-2026-000123", "ES", "EUR", status, 25_000m, 4_500m, 60, 72, At, At, At),
        [
            new AuditEntry(At, null, "PENDING", "applicant", "dev-applicant", "Application submitted"),
            new AuditEntry(At, "PENDING", "VALIDATING", "system", "node-7f3a", null),
            new AuditEntry(At, "VALIDATING", "UNDER_REVIEW", "system", "node-7f3a", "risk_score ≥ 70; amount > 20000"),
            new AuditEntry(At, "UNDER_REVIEW", "REJECTED", "admin", "dev-admin", "Payslips look forged, call compliance"),
        ],
        [new WebhookEventView("evt-1", "account.verified", "processed", 200, null, At), new WebhookEventView("evt-2", "disbursement.failed", "rejected", 422, "invalid transition", At)]);

    [Fact]
    public void An_applicant_sees_no_risk_score_bureau_data_thresholds_staff_text_or_internal_ids()
    {
        var page = Render<OwnApplication>(p => p.Add(v => v.View, View("REJECTED")));

        var text = page.Find("[data-testid=my-application]").TextContent;
        Assert.DoesNotContain("72", text, StringComparison.Ordinal);
        Assert.DoesNotContain("risk", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bureau", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("20000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("forged", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("node-7f3a", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-admin", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid transition", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_reads_in_words_with_what_happens_next_and_the_history_names_roles()
    {
        var page = Render<OwnApplication>(p => p.Add(v => v.View, View("REJECTED")));

        Assert.Equal("Not approved", page.Find("[data-testid=my-application-status]").TextContent.Trim());
        Assert.Equal("REJECTED", page.Find("[data-testid=my-application-status]").GetAttribute("data-status"));
        Assert.Contains("A person can review the decision", page.Find("[data-testid=my-application-next]").TextContent, StringComparison.Ordinal);
        var history = page.Find("[data-testid=my-application-history]").TextContent;
        Assert.Contains("You", history, StringComparison.Ordinal);
        Assert.Contains("A CreditDesk employee", history, StringComparison.Ordinal);
        Assert.Contains("Your bank verified your account.", page.Find("[data-testid=my-application-bank]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=my-application-bank] li"));
    }

    [Fact]
    public void An_approved_application_shows_the_estimated_monthly_payment()
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        var page = Render<OwnApplication>(p => p.Add(v => v.View, View("APPROVED")));

        Assert.Contains("€416.67", page.Find("[data-testid=my-application-payment]").TextContent, StringComparison.Ordinal);
    }
}
