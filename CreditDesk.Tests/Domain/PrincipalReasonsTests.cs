using CreditDesk.Domain.Decisions;

namespace CreditDesk.Tests.Domain;

public sealed class PrincipalReasonsTests
{
    private static RuleResult Failed(string name, RuleSeverity severity) => new(name, severity, RuleOutcome.Failed, 1m, FailsWhen.Above, 0m, name);

    private static RuleResult Passed(string name) => new(name, RuleSeverity.Reject, RuleOutcome.Passed, 0m, FailsWhen.Above, 1m, name);

    [Fact]
    public void Rejecting_rules_come_before_review_rules_and_the_list_stops_at_four()
    {
        var codes = PrincipalReasons.For(
        [
            Failed("risk_score", RuleSeverity.Review),
            Failed("minimum_income", RuleSeverity.Reject),
            Failed("amount_to_annual_income", RuleSeverity.Reject),
            Passed("active_defaults"),
            Failed("payment_to_income", RuleSeverity.Reject),
            Failed("bureau_score", RuleSeverity.Reject),
            Failed("maximum_amount", RuleSeverity.Reject),
        ]);

        Assert.Equal(["credit_history_score", "payment_too_high_for_income", "amount_too_high_for_income", "income_below_minimum"], codes);
    }

    [Fact]
    public void Without_a_failed_rule_the_reason_is_that_a_person_decided()
    {
        Assert.Equal([PrincipalReasons.DecidedOnReview], PrincipalReasons.For([Passed("minimum_income")]));
        Assert.Equal([PrincipalReasons.DecidedOnReview], PrincipalReasons.For([]));
    }

    [Fact]
    public void A_rule_the_list_does_not_know_is_said_generically_not_dropped()
    {
        Assert.Equal([PrincipalReasons.OtherPolicy], PrincipalReasons.For([Failed("brand_new_rule", RuleSeverity.Reject)]));
    }

    [Fact]
    public void Every_reason_code_has_words_for_the_applicant()
    {
        foreach (var culture in new[] { "en", "es", "pt", "it" })
        {
            foreach (var code in PrincipalReasons.Codes)
            {
                Assert.False(string.IsNullOrWhiteSpace(CreditDesk.Web.Localization.DeskText.Resources.GetString($"Reason.{code}", new System.Globalization.CultureInfo(culture))),
                    $"Reason.{code} in {culture}");
            }
        }
    }
}
