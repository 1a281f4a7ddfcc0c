using CreditDesk.Domain.Decisions;
using CreditDesk.Domain.Documents;

namespace CreditDesk.Domain.Countries.Brazil;

public sealed class BrazilPolicy : ICountryPolicy
{
    public const decimal MinimumMonthlyIncome = 2_000m;
    public const decimal MaximumAmount = 100_000m;
    public const decimal MaximumAnnualIncomeMultiple = 5m;
    public const decimal MaximumDebtToIncome = 0.35m;
    public const int MinimumScore = 550;

    public string Code => "BR";
    public string Language => "pt-BR";
    public string Currency => "BRL";
    public string DocumentName => "CPF";
    public string DocumentPlaceholder => "529.982.247-25";
    public string BureauName => "Serasa";
    public IDocumentValidator Document { get; } = new BrazilianDocument();
    public Pricing.LoanProduct Product => BrazilLoan.Product;

    public IReadOnlyList<RuleResult> Evaluate(Assessment a) =>
    [
        CommonRules.MinimumIncome(a, MinimumMonthlyIncome),
        CommonRules.MaximumAmount(a, MaximumAmount),
        CommonRules.AmountWithinAnnualIncome(a, MaximumAnnualIncomeMultiple),
        CommonRules.DebtToIncome(a, FailsWhen.Above, MaximumDebtToIncome),
        CommonRules.MinimumScore(a, MinimumScore),
    ];
}
