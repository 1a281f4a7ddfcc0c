using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Spain;

public sealed class SpainPolicy : ICountryPolicy
{
    public const decimal RejectDebtToIncomeFrom = 0.40m;
    public const int MinimumScore = 600;
    public const decimal ReviewAmountAbove = 20_000m;

    public string Code => "ES";
    public string Language => "es-ES";
    public string Currency => "EUR";
    public string DocumentName => "DNI / NIE";
    public string DocumentPlaceholder => "12345678Z";
    public string BureauName => "ASNEF-CIRBE";
    public IDocumentValidator Document { get; } = new SpanishDocument();
    public Pricing.LoanProduct Product => SpainLoan.Product;

    public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
    [
        CommonRules.DebtToIncome(a, FailsWhen.AtLeast, RejectDebtToIncomeFrom),
        CommonRules.MinimumScore(a, MinimumScore),
        CommonRules.NoActiveDefaults(a),
        Rule.Review("amount_requires_review", a.Request.Amount, FailsWhen.Above, ReviewAmountAbove, "Large amounts are reviewed by an officer"),
    ];
}
