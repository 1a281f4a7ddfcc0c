using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Colombia;

public sealed class ColombiaPolicy : ICountryPolicy
{
    public const decimal MinimumMonthlyIncome = 1_500_000m;
    public const decimal MaximumAmount = 50_000_000m;
    public const decimal MaximumPaymentToIncome = 0.40m;
    public const int MinimumScore = 600;

    public string Code => "CO";
    public string Language => "es-CO";
    public string Currency => "COP";
    public string DocumentName => "Cédula de ciudadanía";
    public string DocumentPlaceholder => "1020304050";
    public string BureauName => "DataCrédito";
    public IDocumentValidator Document { get; } = new ColombianDocument();
    public Pricing.LoanProduct Product => ColombiaLoan.Product;

    public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
    [
        CommonRules.MinimumIncome(a, MinimumMonthlyIncome),
        CommonRules.MaximumAmount(a, MaximumAmount),
        CommonRules.PaymentToIncome(a, MaximumPaymentToIncome),
        CommonRules.MinimumScore(a, MinimumScore),
    ];
}
