using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Italy;

public sealed class ItalyPolicy : ICountryPolicy
{
    public const decimal MinimumMonthlyIncome = 1_200m;
    public const decimal MaximumAmount = 50_000m;
    public const decimal MaximumDebtToIncome = 0.35m;
    public const int MinimumScore = 600;
    public const decimal ReviewIncomeDifferenceAbove = 0.30m;

    public string Code => "IT";
    public string Language => "it-IT";
    public string Currency => "EUR";
    public string DocumentName => "Codice Fiscale";
    public string DocumentPlaceholder => "RSSMRA85T10A562S";
    public string BureauName => "CRIF";
    public IDocumentValidator Document { get; } = new ItalianDocument();
    public Pricing.LoanProduct Product => ItalyLoan.Product;

    public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
    [
        CommonRules.MinimumIncome(a, MinimumMonthlyIncome),
        CommonRules.MaximumAmount(a, MaximumAmount),
        CommonRules.DebtToIncome(a, FailsWhen.Above, MaximumDebtToIncome),
        CommonRules.MinimumScore(a, MinimumScore),
        CommonRules.NoActiveDefaults(a),
        Rule.FromBureau(a, RuleSeverity.Review, "declared_income_matches_bureau", IncomeDifference, FailsWhen.Above,
            ReviewIncomeDifferenceAbove, "Declared income differs from the bureau's by more than 30 %"),
    ];

    /// <summary>|bureau − declared| / declared; a bureau without income data is treated as no difference.</summary>
    private static decimal IncomeDifference(Assessment a) =>
        a.Report.ReportedMonthlyIncome is { } reported
            ? Math.Abs(reported - a.Request.MonthlyIncome) / a.Request.MonthlyIncome
            : 0m;
}
