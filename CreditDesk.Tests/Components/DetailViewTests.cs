using System.Globalization;
using Bunit;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Decisions;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Web.Components.Applications;

namespace CreditDesk.Tests.Components;

public sealed class DetailViewTests : DeskComponentContext
{
    private static readonly ApplicationDetail Detail = Colombian(DateTimeOffset.UtcNow);

    /// <summary>A Colombian application under review, on fallback bureau data, with three passed rules.</summary>
    internal static ApplicationDetail Colombian(DateTimeOffset submitted) => new(
        new ApplicationSummary(Guid.CreateVersion7(), "CO-2026-000042", "CO", "COP", "UNDER_REVIEW", 5_000_000m, 4_000_000m, 36, 72,
            submitted, submitted, submitted),
        "Camila Rodríguez", "1020304050", DocumentMasked: false,
        [
            new RuleResult("bureau_score", RuleSeverity.Reject, RuleOutcome.Passed, 640m, FailsWhen.Below, 600m, "Credit score below the minimum"),
            new RuleResult("payment_to_income", RuleSeverity.Reject, RuleOutcome.Passed, 0.1075m, FailsWhen.Above, 0.4m, "Estimated payment too high"),
            new RuleResult("minimum_income", RuleSeverity.Reject, RuleOutcome.Passed, 4_000_000m, FailsWhen.Below, 1_500_000m, "Monthly income below the minimum"),
        ],
        BureauReport.Fallback("DataCrédito"));

    [Fact]
    public void Anyone_but_an_admin_sees_only_the_last_four_characters_of_the_document()
    {
        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Detail).Add(v => v.IsAdmin, false));

        Assert.Equal("****4050", view.Find("[data-testid=detail-document]").TextContent);
        Assert.DoesNotContain("1020304050", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_sees_the_whole_document()
    {
        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Detail).Add(v => v.IsAdmin, true));

        Assert.Equal("1020304050", view.Find("[data-testid=detail-document]").TextContent);
    }

    [Fact]
    public void The_risk_score_rules_status_and_fallback_flag_are_shown()
    {
        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Detail));

        Assert.Equal("72", view.Find("[data-testid=detail-risk-score]").TextContent.Trim());
        Assert.Equal("UNDER_REVIEW", view.Find("[data-testid=app-detail]").GetAttribute("data-status"));
        Assert.Equal("UNDER_REVIEW", view.Find("[data-testid=detail-status]").GetAttribute("data-status"));
        Assert.Equal("true", view.Find("[data-testid=detail-bureau]").GetAttribute("data-fallback"));
        Assert.NotNull(view.Find("[data-rule=bureau_score]"));
    }

    [Fact]
    public void Ratios_read_as_percentages_and_amounts_carry_the_applications_currency()
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");

        var view = Render<ApplicationDetailView>(p => p.Add(v => v.Detail, Detail));

        Assert.Equal("10.8%", view.Find("[data-testid=rule-observed-payment_to_income]").TextContent.Trim());
        Assert.Equal("> 40.0%", view.Find("[data-testid=rule-threshold-payment_to_income]").TextContent.Trim());
        Assert.Equal("< COP 1,500,000.00", view.Find("[data-testid=rule-threshold-minimum_income]").TextContent.Replace('\u00A0', ' ').Trim());
        Assert.Equal("640", view.Find("[data-testid=rule-observed-bureau_score]").TextContent.Trim());
    }
}
