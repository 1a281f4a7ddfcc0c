using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class BrazilRulesTests
{
    [Fact]
    public void Brazil_rejects_monthly_income_below_2000()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("BR", 1_000m, 2_000m).Outcome("minimum_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("BR", 1_000m, 1_999.99m).Outcome("minimum_income"));
    }

    [Fact]
    public void Brazil_accepts_100000_and_rejects_100000_01()
    {
        Assert.Equal(ApplicationStatus.Approved, Decide("BR", 100_000m, 30_000m, term: 84).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("BR", 100_000.01m, 30_000m, term: 84).Status);
    }

    [Fact]
    public void Brazil_rejects_amounts_above_five_times_annual_income()
    {
        // income 1 000 → annual 12 000 → limit 60 000
        Assert.Equal(RuleOutcome.Passed, Decide("BR", 60_000m, 1_000m, term: 84).Outcome("amount_to_annual_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("BR", 60_000.01m, 1_000m, term: 84).Outcome("amount_to_annual_income"));
    }

    [Fact]
    public void Brazil_accepts_debt_to_income_of_exactly_35_percent_and_rejects_above()
    {
        // income 2 000, payment 100: obligations 600 → 35 %, 600.20 → 35.01 %
        Assert.Equal(ApplicationStatus.Approved, Decide("BR", 1_000m, 2_000m, term: 10, obligations: 600m).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("BR", 1_000m, 2_000m, term: 10, obligations: 600.20m).Status);
    }

    [Fact]
    public void Brazil_accepts_a_score_of_550_and_rejects_549()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("BR", 1_000m, 5_000m, score: 550).Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.Failed, Decide("BR", 1_000m, 5_000m, score: 549).Outcome("bureau_score"));
    }
}
