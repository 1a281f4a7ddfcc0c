using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class SpainRulesTests
{
    // income 1 000, 1 000 over 10 months: payment 100, so obligations 299.90 give DTI 39.99 % and 300 give 40 %.
    [Fact]
    public void Spain_accepts_debt_to_income_of_39_99_percent()
    {
        var decision = Decide("ES", amount: 1_000m, income: 1_000m, term: 10, obligations: 299.90m);

        Assert.Equal(0.3999m, decision.Rule("debt_to_income").Observed);
        Assert.Equal(RuleOutcome.Passed, decision.Outcome("debt_to_income"));
        Assert.Equal(ApplicationStatus.Approved, decision.Status);
    }

    [Fact]
    public void Spain_rejects_when_debt_to_income_reaches_40_percent()
    {
        var decision = Decide("ES", amount: 1_000m, income: 1_000m, term: 10, obligations: 300m);

        Assert.Equal(RuleOutcome.Failed, decision.Outcome("debt_to_income"));
        Assert.Equal(ApplicationStatus.Rejected, decision.Status);
    }

    [Fact]
    public void Spain_accepts_a_score_of_600_and_rejects_599()
    {
        Assert.Equal(ApplicationStatus.Approved, Decide("ES", 1_000m, 3_000m, score: 600).Status);
        Assert.Equal(ApplicationStatus.Rejected, Decide("ES", 1_000m, 3_000m, score: 599).Status);
    }

    [Fact]
    public void Spain_rejects_active_defaults_and_accepts_none()
    {
        Assert.Equal(RuleOutcome.Failed, Decide("ES", 1_000m, 3_000m, defaults: true).Outcome("active_defaults"));
        Assert.Equal(RuleOutcome.Passed, Decide("ES", 1_000m, 3_000m, defaults: false).Outcome("active_defaults"));
    }

    [Fact]
    public void Spain_sends_amounts_above_20000_to_review_but_not_20000_itself()
    {
        Assert.Equal(ApplicationStatus.Approved, Decide("ES", 20_000m, 10_000m, term: 84).Status);

        var large = Decide("ES", 20_000.01m, 10_000m, term: 84);
        Assert.Equal(RuleSeverity.Review, large.Rule("amount_requires_review").Severity);
        Assert.Equal(ApplicationStatus.UnderReview, large.Status);
    }
}
