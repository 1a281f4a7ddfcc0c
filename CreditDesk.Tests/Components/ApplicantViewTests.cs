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
        [new WebhookEventView("evt-1", "account.verified", "processed", 200, null, At), new WebhookEventView("evt-2", "disbursement.failed", "rejected", 422, "invalid transition", At)],
        [
            new CreditDesk.Domain.Decisions.RuleResult("minimum_income", CreditDesk.Domain.Decisions.RuleSeverity.Reject, CreditDesk.Domain.Decisions.RuleOutcome.Passed, 4_500m, CreditDesk.Domain.Decisions.FailsWhen.Below, 1_200m, "Monthly income below the minimum"),
            new CreditDesk.Domain.Decisions.RuleResult("risk_score", CreditDesk.Domain.Decisions.RuleSeverity.Review, CreditDesk.Domain.Decisions.RuleOutcome.Failed, 72m, CreditDesk.Domain.Decisions.FailsWhen.AtLeast, 70m, "High risk score"),
            new CreditDesk.Domain.Decisions.RuleResult("debt_to_income", CreditDesk.Domain.Decisions.RuleSeverity.Reject, CreditDesk.Domain.Decisions.RuleOutcome.Failed, 0.61m, CreditDesk.Domain.Decisions.FailsWhen.Above, 0.45m, "Debt-to-income too high"),
        ]);

    [Fact]
    public void A_rejected_applicant_reads_the_principal_reasons_most_important_first_and_that_a_person_can_review_it()
    {
        var page = Render<OwnApplication>(p => p.Add(v => v.View, View("REJECTED")));

        Assert.Equal(["existing_debt_too_high", "overall_risk_checked_by_a_person"],
            page.FindAll("[data-testid=my-application-reason]").Select(reason => reason.GetAttribute("data-code")));
        Assert.Contains("person", page.Find("[data-testid=my-application-human-review]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("0.45", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("0.61", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approved_applicant_reads_no_reasons_and_sees_the_monthly_payment()
    {
        var page = Render<OwnApplication>(p => p.Add(v => v.View, View("APPROVED")));

        Assert.Empty(page.FindAll("[data-testid=my-application-reasons]"));
        Assert.NotEmpty(page.Find("[data-testid=my-application-payment]").TextContent.Trim());
    }

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
    public void An_approved_application_shows_the_annuity_payment_and_the_TAE()
    {
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        var page = Render<OwnApplication>(p => p.Add(v => v.View, View("APPROVED")));

        // EUR 25 000 over 60 months at Spain's 7.95 % band: 506.31 a month (amount / term would say 416.67).
        Assert.Contains("€506.31", page.Find("[data-testid=my-application-payment]").TextContent, StringComparison.Ordinal);
        Assert.EndsWith("%", page.Find("[data-testid=my-application-apr]").TextContent.Trim(), StringComparison.Ordinal);
    }
}
