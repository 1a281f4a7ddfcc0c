using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class ItalyRulesTests
{
    [Fact]
    public void Italy_rejects_monthly_income_below_1200()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("IT", 1_000m, 1_200m).Outcome("minimum_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("IT", 1_000m, 1_199.99m).Outcome("minimum_income"));
    }

    [Fact]
    public void Italy_rejects_amounts_above_50000()
    {
        Assert.Equal(ApplicationStatus.Approved, Decide("IT", 50_000m, 20_000m, term: 84).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("IT", 50_000.01m, 20_000m, term: 84).Status);
    }

    [Fact]
    public void Italy_accepts_debt_to_income_of_exactly_35_percent_and_rejects_above()
    {
        // income 2 000, payment 100: obligations 600 → 35 %, 600.20 → 35.01 %
        Assert.Equal(RuleOutcome.Passed, Decide("IT", 1_000m, 2_000m, term: 10, obligations: 600m).Outcome("debt_to_income"));
        Assert.Equal(RuleOutcome.Failed, Decide("IT", 1_000m, 2_000m, term: 10, obligations: 600.20m).Outcome("debt_to_income"));
    }

    [Fact]
    public void Italy_rejects_scores_below_600_and_active_defaults()
    {
        Assert.Equal(RuleOutcome.Passed, Decide("IT", 1_000m, 2_000m, score: 600).Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.Failed, Decide("IT", 1_000m, 2_000m, score: 599).Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.Passed, Decide("IT", 1_000m, 2_000m, defaults: false).Outcome("active_defaults"));
        Assert.Equal(RuleOutcome.Failed, Decide("IT", 1_000m, 2_000m, defaults: true).Outcome("active_defaults"));
    }

    [Theory]
    [InlineData(2_600, ApplicationStatus.Approved)]
    [InlineData(1_400, ApplicationStatus.Approved)]
    [InlineData(2_600.20, ApplicationStatus.UnderReview)]
    [InlineData(1_399.80, ApplicationStatus.UnderReview)]
    public void Italy_reviews_when_bureau_income_differs_from_declared_by_more_than_30_percent(double reported, ApplicationStatus expected)
    {
        var decision = Decide("IT", 1_000m, 2_000m, reportedIncome: (decimal)reported);

        Assert.Equal(expected, decision.Status);
    }
}
