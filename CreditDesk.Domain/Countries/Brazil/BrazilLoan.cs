using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Countries.Brazil;

/// <summary>Brazil's personal loan (crédito pessoal: rates in the thirties and forties a year, no opening fee (TAC), IOF charged.).</summary>
public static class BrazilLoan
{
    public static LoanProduct Product { get; } = new(
        "BR", "BRL", new DateOnly(2026, 11, 1),
        MinAmount: 1_000m, MaxAmount: 500_000m,
        MinTermMonths: ApplicationFormRules.MinimumTermMonths, MaxTermMonths: ApplicationFormRules.MaximumTermMonths,
        Bands:
        [
            new RateBand(20_000m, 0.42m),
            new RateBand(100_000m, 0.34m),
            new RateBand(decimal.MaxValue, 0.28m),
        ],
        OpeningFeeRate: 0m,
        Figure: CostFigure.Cet);
}
