using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Domain.Decisions;

namespace CreditDesk.Tests.Domain.Decisions;

/// <summary>
/// A clean applicant (good score, no debts, no defaults) that each test bends in one direction. The monthly payment is
/// given as amount / term, so each rule's threshold is tested at an exact ratio; how a payment is priced (the annuity)
/// is LoanPricingTests' subject.
/// </summary>
internal static class Scenario
{
    public static Decision Decide(
        string country,
        decimal amount,
        decimal income,
        int term = 12,
        int score = 800,
        decimal obligations = 0m,
        bool defaults = false,
        decimal? reportedIncome = null,
        bool fallback = false)
    {
        var policy = CountryRegistry.Get(country);
        var report = fallback
            ? BureauReport.Fallback(policy.BureauName)
            : new BureauReport(policy.BureauName, score, obligations * 10, obligations, defaults, reportedIncome);
        return DecisionEngine.Decide(policy, new LoanRequest(amount, income, term, MonthlyPayment: CreditDesk.Domain.Money.RoundToCents(amount / term)), report);
    }

    public static RuleResult Rule(this Decision decision, string name) => decision.Rules.Single(r => r.Name == name);

    public static RuleOutcome Outcome(this Decision decision, string name) => decision.Rule(name).Outcome;
}
