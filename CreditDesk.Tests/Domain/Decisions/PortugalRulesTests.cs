using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class PortugalRulesTests
{
    [Fact]
    public void Portugal_rejects_monthly_income_below_800()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("PT", 1_000m, 800m).Outcome("minimum_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("PT", 1_000m, 799.99m).Outcome("minimum_income"));
    }

    [Fact]
    public void Portugal_rejects_amounts_above_four_times_annual_income()
    {
        // income 1 000 → annual 12 000 → limit 48 000
        Assert.Equal(RuleOutcome.Passed, Decide("PT", 48_000m, 1_000m, term: 84).Outcome("amount_to_annual_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("PT", 48_000.01m, 1_000m, term: 84).Outcome("amount_to_annual_income"));
    }

    [Fact]
    public void Portugal_accepts_debt_to_income_of_exactly_40_percent_and_rejects_above()
    {
        // income 1 000, payment 100: obligations 300 → 40 %, 300.10 → 40.01 %
        Assert.Equal(ApplicationStatus.Approved, Decide("PT", 1_000m, 1_000m, term: 10, obligations: 300m).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("PT", 1_000m, 1_000m, term: 10, obligations: 300.10m).Status);
    }

    [Fact]
    public void Portugal_rejects_scores_below_600_and_active_defaults()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("PT", 1_000m, 2_000m, score: 600).Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.Failed, Decide("PT", 1_000m, 2_000m, score: 599).Outcome("bureau_score"));
        Assert.Equal(ApplicationStatus.Rejected, Decide("PT", 1_000m, 2_000m, defaults: true).Status);
    }
}
