using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class ColombiaRulesTests
{
    [Fact]
    public void Colombia_rejects_monthly_income_below_1500000()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("CO", 1_000_000m, 1_500_000m).Outcome("minimum_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("CO", 1_000_000m, 1_499_999.99m).Outcome("minimum_income"));
    }

    [Fact]
    public void Colombia_rejects_amounts_above_50000000()
    {
        Assert.Equal(ApplicationStatus.Approved, Decide("CO", 50_000_000m, 100_000_000m, term: 84).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("CO", 50_000_000.01m, 100_000_000m, term: 84).Status);
    }

    [Fact]
    public void Colombia_accepts_a_payment_of_exactly_40_percent_of_income_and_rejects_above()
    {
        // 12 000 000 over 12 months = 1 000 000 = 40 % of 2 500 000; 12 000 000.12 → 1 000 000.01
        Assert.Equal(RuleOutcome.Passed, Decide("CO", 12_000_000m, 2_500_000m).Outcome("payment_to_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("CO", 12_000_000.12m, 2_500_000m).Outcome("payment_to_income"));
    }

    [Fact]
    public void Colombia_accepts_a_score_of_600_and_rejects_599()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("CO", 1_000_000m, 3_000_000m, score: 600).Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.Failed, Decide("CO", 1_000_000m, 3_000_000m, score: 599).Outcome("bureau_score"));
    }
}
