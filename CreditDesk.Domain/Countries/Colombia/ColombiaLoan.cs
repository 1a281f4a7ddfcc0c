using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Countries.Colombia;

/// <summary>Colombia's personal loan (crédito de libre inversión: nominal rates in the twenties, no opening fee.).</summary>
public static class ColombiaLoan
{
    public static LoanProduct Product { get; } = new(
        "CO", "COP", new DateOnly(2026, 11, 1),
        MinAmount: 1_000_000m, MaxAmount: 500_000_000m,
        MinTermMonths: ApplicationFormRules.MinimumTermMonths, MaxTermMonths: ApplicationFormRules.MaximumTermMonths,
        Bands:
        [
            new RateBand(20_000_000m, 0.26m),
            new RateBand(100_000_000m, 0.22m),
            new RateBand(decimal.MaxValue, 0.19m),
        ],
        OpeningFeeRate: 0m,
        Figure: CostFigure.EffectiveAnnualRate);
}
