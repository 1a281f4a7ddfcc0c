using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;

namespace CreditDesk.Domain.Decisions;

/// <summary>The outcome of assessing one application: every rule, the risk score, the resulting status, and the request as
/// the rules saw it (its <see cref="LoanRequest.MonthlyPayment"/> priced).</summary>
public sealed record Decision(ApplicationStatus Status, int RiskScore, IReadOnlyList<RuleResult> Rules, LoanRequest Request);

/// <summary>
/// Applies a country's rules plus the rules every country shares. Any failed REJECT rule rejects; otherwise any failed
/// REVIEW rule sends the application to an officer; otherwise it is approved.
/// </summary>
public static class DecisionEngine
{
    /// <summary>Decides with the product in the country's own file.</summary>
    public static Decision Decide(ICountryPolicy policy, LoanRequest request, BureauReport report) =>
        Decide(PolicyVersion.Default(policy), request, report);

    public static Decision Decide(PolicyVersion version, LoanRequest request, BureauReport report)
    {
        // The rules see the real instalment: the annuity at the product's rate for this amount, not amount / term
        // (a caller that already knows the payment — a re-decision on recorded terms, a test of a threshold — gives it).
        request = request with { MonthlyPayment = request.MonthlyPayment ?? PriceOf(version.Product, request) };
        var rules = Evaluate(version.Rules, new Assessment(request, report));
        var status = rules.Any(r => r.Failed && r.Severity == RuleSeverity.Reject) ? ApplicationStatus.Rejected
            : rules.Any(r => r.Failed && r.Severity == RuleSeverity.Review) ? ApplicationStatus.UnderReview
            : ApplicationStatus.Approved;
        return new Decision(status, RiskScore.Calculate(new Assessment(request, report)), rules, request);
    }

    /// <summary>The country's rules and the ones every country shares, on one assessment.</summary>
    public static IReadOnlyList<RuleResult> Evaluate(ICountryPolicy policy, Assessment assessment) =>
    [
        .. policy.Evaluate(assessment),
        Rule.Review("bureau_data_available", assessment.Report.IsFallback ? 1 : 0, FailsWhen.Equal, 1,
            "Bureau data unavailable (fallback used): an officer must review"),
        Rule.Review("risk_score", RiskScore.Calculate(assessment), FailsWhen.AtLeast, RiskScore.ReviewAtOrAbove, "High risk score"),
    ];

    /// <summary>The monthly payment the applicant would make: the annuity at the product's nominal rate for the amount.</summary>
    public static decimal PriceOf(Pricing.LoanProduct product, LoanRequest request) =>
        Pricing.Amortisation.Payment(request.Amount, product.NominalRateFor(request.Amount), request.TermMonths);
}
