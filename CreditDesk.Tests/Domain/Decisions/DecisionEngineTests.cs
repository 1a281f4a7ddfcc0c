using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;
using static CreditDesk.Tests.Domain.Decisions.Scenario;

namespace CreditDesk.Tests.Domain.Decisions;

public sealed class DecisionEngineTests
{
    [Theory]
    [InlineData("ES")]
    [InlineData("PT")]
    [InlineData("IT")]
    [InlineData("MX")]
    [InlineData("CO")]
    [InlineData("BR")]
    public void A_fallback_bureau_report_never_lets_an_application_be_approved(string country)
    {
        var income = country == "CO" ? 5_000_000m : 20_000m;

        var clean = Decide(country, 1_000m, income);
        var fallback = Decide(country, 1_000m, income, fallback: true);

        Assert.Equal(ApplicationStatus.Approved, clean.Status);
        Assert.Equal(ApplicationStatus.UnderReview, fallback.Status);
        Assert.Equal(RuleOutcome.Failed, fallback.Outcome("bureau_data_available"));
    }

    [Fact]
    public void With_a_fallback_report_rules_that_need_bureau_data_are_not_assessed_but_declared_data_still_rejects()
    {
        var decision = Decide("PT", 1_000m, 700m, fallback: true);

        Assert.Equal(RuleOutcome.NotAssessed, decision.Outcome("bureau_score"));
        Assert.Equal(RuleOutcome.NotAssessed, decision.Outcome("debt_to_income"));
        Assert.Null(decision.Rule("bureau_score").Observed);
        Assert.Equal(ApplicationStatus.Rejected, decision.Status);
    }

    [Fact]
    public void A_reject_rule_wins_over_a_review_rule()
    {
        // Spain: above 20 000 is REVIEW, score 599 is REJECT.
        var decision = Decide("ES", 25_000m, 10_000m, term: 84, score: 599);

        Assert.Equal(RuleOutcome.Failed, decision.Outcome("amount_requires_review"));
        Assert.Equal(ApplicationStatus.Rejected, decision.Status);
    }

    // Mexico has neither a defaults nor a debt-to-income rule, so the risk score alone can send it to review.
    [Fact]
    public void A_risk_score_of_70_sends_the_application_to_review_and_69_does_not()
    {
        var at70 = Decide("MX", 252_000m, 10_000m, term: 84, score: 601, obligations: 10_000m, defaults: true);
        var at69 = Decide("MX", 252_000m, 10_000m, term: 84, score: 602, obligations: 10_000m, defaults: true);

        Assert.Equal(70, at70.RiskScore);
        Assert.Equal(ApplicationStatus.UnderReview, at70.Status);
        Assert.Equal(69, at69.RiskScore);
        Assert.Equal(ApplicationStatus.Approved, at69.Status);
    }

    [Fact]
    public void Every_rule_records_what_it_compared()
    {
        var decision = Decide("ES", 1_000m, 1_000m, term: 10, obligations: 300m);
        var dti = decision.Rule("debt_to_income");

        Assert.Equal(0.40m, dti.Observed);
        Assert.Equal(SpainPolicyThreshold, dti.Threshold);
        Assert.Equal(FailsWhen.AtLeast, dti.FailsWhen);
        Assert.Equal(RuleSeverity.Reject, dti.Severity);
        Assert.False(string.IsNullOrWhiteSpace(dti.Description));
        Assert.Contains(decision.Rules, r => r.Name == "risk_score");
        Assert.Contains(decision.Rules, r => r.Name == "bureau_data_available");
    }

    private const decimal SpainPolicyThreshold = CreditDesk.Domain.Countries.Spain.SpainPolicy.RejectDebtToIncomeFrom;

    [Fact]
    public void The_same_inputs_always_give_the_same_decision()
    {
        var first = Decide("IT", 12_345.67m, 2_345.67m, term: 36, score: 640, obligations: 321.09m, reportedIncome: 2_000m);
        var second = Decide("IT", 12_345.67m, 2_345.67m, term: 36, score: 640, obligations: 321.09m, reportedIncome: 2_000m);

        Assert.Equal(first.Status, second.Status);
        Assert.Equal(first.RiskScore, second.RiskScore);
        Assert.Equal(first.Rules, second.Rules);
    }

    [Fact]
    public void Risk_score_spans_0_to_100()
    {
        var best = new Assessment(new LoanRequest(0.01m, 1_000_000m, 84), new BureauReport("x", 850, 0m, 0m, false, null));
        var worst = new Assessment(new LoanRequest(1_000_000m, 100m, 6), new BureauReport("x", 300, 1m, 1_000m, true, null));

        Assert.Equal(0, RiskScore.Calculate(best));
        Assert.Equal(100, RiskScore.Calculate(worst));
    }

    [Fact]
    public void Risk_score_is_monotone_worse_inputs_never_lower_it()
    {
        var random = new Random(20261121);
        for (var i = 0; i < 5_000; i++)
        {
            var request = new LoanRequest(
                Amount: Math.Round((decimal)random.NextDouble() * 200_000m + 0.01m, 2),
                MonthlyIncome: Math.Round((decimal)random.NextDouble() * 20_000m + 100m, 2),
                TermMonths: random.Next(6, 85));
            var report = new BureauReport("x", random.Next(250, 900), 0m,
                Math.Round((decimal)random.NextDouble() * 10_000m, 2), random.Next(2) == 1, null);
            var baseline = RiskScore.Calculate(new Assessment(request, report));

            var worse = new (string Change, LoanRequest Request, BureauReport Report)[]
            {
                ("lower score", request, report with { Score = report.Score - random.Next(1, 200) }),
                ("more obligations", request, report with { MonthlyObligations = report.MonthlyObligations + random.Next(1, 5_000) }),
                ("a default", request, report with { HasActiveDefaults = true }),
                ("larger amount", request with { Amount = request.Amount + random.Next(1, 100_000) }, report),
                ("lower income", request with { MonthlyIncome = Math.Max(1m, request.MonthlyIncome - random.Next(1, 5_000)) }, report),
                ("shorter term", request with { TermMonths = Math.Max(6, request.TermMonths - random.Next(1, 40)) }, report),
            };
            foreach (var (change, worseRequest, worseReport) in worse)
            {
                var score = RiskScore.Calculate(new Assessment(worseRequest, worseReport));
                Assert.True(score >= baseline, $"{change} lowered the risk score from {baseline} to {score} ({request}, {report})");
                Assert.InRange(score, 0, 100);
            }
        }
    }

    [Fact]
    public void Adding_up_rules_from_the_country_and_the_shared_ones_gives_one_result_per_rule_name()
    {
        foreach (var policy in CountryRegistry.All)
        {
            var decision = DecisionEngine.Decide(policy, new LoanRequest(1_000m, 10_000m, 12), new BureauReport("x", 700, 0m, 0m, false, 10_000m));
            Assert.Equal(decision.Rules.Count, decision.Rules.Select(r => r.Name).Distinct().Count());
        }
    }
}
