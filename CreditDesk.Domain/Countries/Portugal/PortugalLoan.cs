using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Countries.Portugal;

/// <summary>Portugal's personal loan (personal credit in Portugal: around 9 % nominal, a 2 % opening fee.).</summary>
public static class PortugalLoan
{
    public static LoanProduct Product { get; } = new(
        "PT", "EUR", new DateOnly(2026, 11, 1),
        MinAmount: 1_000m, MaxAmount: 75_000m,
        MinTermMonths: ApplicationFormRules.MinimumTermMonths, MaxTermMonths: ApplicationFormRules.MaximumTermMonths,
        Bands:
        [
            new RateBand(10_000m, 0.105m),
            new RateBand(30_000m, 0.089m),
            new RateBand(decimal.MaxValue, 0.079m),
        ],
        OpeningFeeRate: 0.02m,
        Figure: CostFigure.Taeg);
}
