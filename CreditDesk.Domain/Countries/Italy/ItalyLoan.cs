using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Countries.Italy;

/// <summary>Italy's personal loan (prestiti personali: 7–9.5 % TAN, a 1 % opening fee.).</summary>
public static class ItalyLoan
{
    public static LoanProduct Product { get; } = new(
        "IT", "EUR", new DateOnly(2026, 11, 1),
        MinAmount: 1_000m, MaxAmount: 75_000m,
        MinTermMonths: ApplicationFormRules.MinimumTermMonths, MaxTermMonths: ApplicationFormRules.MaximumTermMonths,
        Bands:
        [
            new RateBand(10_000m, 0.095m),
            new RateBand(30_000m, 0.079m),
            new RateBand(decimal.MaxValue, 0.069m),
        ],
        OpeningFeeRate: 0.01m,
        Figure: CostFigure.Taeg);
}
