using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;

namespace CreditDesk.Domain.Decisions;

/// <summary>The outcome of assessing one application: every rule, the risk score, and the resulting status.</summary>
public sealed record Decision(ApplicationStatus Status, int RiskScore, IReadOnlyList<RuleResult> Rules);

/// <summary>
/// Applies a country's rules plus the rules every country shares. Any failed REJECT rule rejects; otherwise any failed
/// REVIEW rule sends the application to an officer; otherwise it is approved.
/// </summary>
public static class DecisionEngine
{
    public static Decision Decide(ICountryPolicy policy, LoanRequest request, BureauReport report)
    {
        // The rules see the real instalment: the annuity at the country's rate for this amount, not amount / term
        // (a caller that already knows the payment — a re-decision on recorded terms, a test of a threshold — gives it).
        request = request with { MonthlyPayment = request.MonthlyPayment ?? PriceOf(policy, request) };
        var assessment = new Assessment(request, report);
        var riskScore = RiskScore.Calculate(assessment);

        List<RuleResult> rules =
        [
            .. policy.Evaluate(assessment),
            Rule.Review("bureau_data_available", report.IsFallback ? 1 : 0, FailsWhen.Equal, 1,
                "Bureau data unavailable (fallback used): an officer must review"),
            Rule.Review("risk_score", riskScore, FailsWhen.AtLeast, RiskScore.ReviewAtOrAbove, "High risk score"),
        ];

        var status = rules.Any(r => r.Failed && r.Severity == RuleSeverity.Reject) ? ApplicationStatus.Rejected
            : rules.Any(r => r.Failed && r.Severity == RuleSeverity.Review) ? ApplicationStatus.UnderReview
            : ApplicationStatus.Approved;
        return new Decision(status, riskScore, rules);
    }

    /// <summary>The monthly payment the applicant would make: the annuity at the country's nominal rate for the amount.</summary>
    public static decimal PriceOf(ICountryPolicy policy, LoanRequest request) =>
        Pricing.Amortisation.Payment(request.Amount, policy.Product.NominalRateFor(request.Amount), request.TermMonths);
}
