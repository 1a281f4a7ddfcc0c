using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Portugal;

public sealed class PortugalPolicy : ICountryPolicy
{
    public const decimal MinimumMonthlyIncome = 800m;
    public const decimal MaximumAnnualIncomeMultiple = 4m;
    public const decimal MaximumDebtToIncome = 0.40m;
    public const int MinimumScore = 600;

    public string Code => "PT";
    public string Language => "pt-PT";
    public string Currency => "EUR";
    public string DocumentName => "NIF";
    public string DocumentPlaceholder => "123456789";
    public string BureauName => "Banco de Portugal CRC";
    public IDocumentValidator Document { get; } = new PortugueseDocument();
    public Pricing.LoanProduct Product => PortugalLoan.Product;

    public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
    [
        CommonRules.MinimumIncome(a, MinimumMonthlyIncome),
        CommonRules.AmountWithinAnnualIncome(a, MaximumAnnualIncomeMultiple),
        CommonRules.DebtToIncome(a, FailsWhen.Above, MaximumDebtToIncome),
        CommonRules.MinimumScore(a, MinimumScore),
        CommonRules.NoActiveDefaults(a),
    ];
}
