using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class MexicoRulesTests
{
    [Fact]
    public void Mexico_rejects_monthly_income_below_5000()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("MX", 1_000m, 5_000m).Outcome("minimum_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("MX", 1_000m, 4_999.99m).Outcome("minimum_income"));
    }

    [Fact]
    public void Mexico_rejects_amounts_above_three_times_annual_income()
    {
        // income 10 000 → annual 120 000 → limit 360 000
        Assert.Equal(RuleOutcome.Passed, Decide("MX", 360_000m, 10_000m, term: 84).Outcome("amount_to_annual_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("MX", 360_000.01m, 10_000m, term: 84).Outcome("amount_to_annual_income"));
    }

    [Fact]
    public void Mexico_accepts_a_payment_of_exactly_30_percent_of_income_and_rejects_above()
    {
        // 36 000 over 12 months = 3 000.00 (30 %); 36 000.12 → 3 000.01
        Assert.Equal(ApplicationStatus.Approved, Decide("MX", 36_000m, 10_000m).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("MX", 36_000.12m, 10_000m).Status);
    }

    [Fact]
    public void Mexico_accepts_a_score_of_550_and_rejects_549()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("MX", 1_000m, 10_000m, score: 550).Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.Failed, Decide("MX", 1_000m, 10_000m, score: 549).Outcome("bureau_score"));
    }

    [Fact]
    public void Mexico_has_no_debt_to_income_or_defaults_rule_of_its_own()
    {
        var names = Decide("MX", 1_000m, 10_000m).Rules.Select(r => r.Name).ToList();

        Assert.DoesNotContain("debt_to_income", names);
        Assert.DoesNotContain("active_defaults", names);
    }
}
