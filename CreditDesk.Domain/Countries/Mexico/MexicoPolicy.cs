using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Mexico;

public sealed class MexicoPolicy : ICountryPolicy
{
    public const decimal MinimumMonthlyIncome = 5_000m;
    public const decimal MaximumAnnualIncomeMultiple = 3m;
    public const decimal MaximumPaymentToIncome = 0.30m;
    public const int MinimumScore = 550;

    public string Code => "MX";
    public string Language => "es-MX";
    public string Currency => "MXN";
    public string DocumentName => "CURP";
    public string DocumentPlaceholder => "HEGG560427MVZRRL04";
    public string BureauName => "Buró de Crédito";
    public IDocumentValidator Document { get; } = new MexicanDocument();
    public Pricing.LoanProduct Product => MexicoLoan.Product;

    public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
    [
        CommonRules.MinimumIncome(a, MinimumMonthlyIncome),
        CommonRules.AmountWithinAnnualIncome(a, MaximumAnnualIncomeMultiple),
        CommonRules.PaymentToIncome(a, MaximumPaymentToIncome),
        CommonRules.MinimumScore(a, MinimumScore),
    ];
}
