using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Countries.Spain;

/// <summary>Spain's personal loan (Banco de España's personal-loan averages: high single digits, an opening fee around 1.5 %.).</summary>
public static class SpainLoan
{
    public static LoanProduct Product { get; } = new(
        "ES", "EUR", new DateOnly(2026, 11, 1),
        MinAmount: 1_000m, MaxAmount: 75_000m,
        MinTermMonths: ApplicationFormRules.MinimumTermMonths, MaxTermMonths: ApplicationFormRules.MaximumTermMonths,
        Bands:
        [
            new RateBand(10_000m, 0.0995m),
            new RateBand(30_000m, 0.0795m),
            new RateBand(decimal.MaxValue, 0.0695m),
        ],
        OpeningFeeRate: 0.015m,
        Figure: CostFigure.Tae);
}
