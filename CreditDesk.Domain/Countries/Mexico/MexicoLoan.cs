using CreditDesk.Domain.Applications;
using CreditDesk.Domain.Pricing;

namespace CreditDesk.Domain.Countries.Mexico;

/// <summary>Mexico's personal loan (crédito personal: rates in the thirties, a 3 % comisión por apertura.).</summary>
public static class MexicoLoan
{
    public static LoanProduct Product { get; } = new(
        "MX", "MXN", new DateOnly(2026, 11, 1),
        MinAmount: 5_000m, MaxAmount: 2_000_000m,
        MinTermMonths: ApplicationFormRules.MinimumTermMonths, MaxTermMonths: ApplicationFormRules.MaximumTermMonths,
        Bands:
        [
            new RateBand(100_000m, 0.38m),
            new RateBand(500_000m, 0.32m),
            new RateBand(decimal.MaxValue, 0.28m),
        ],
        OpeningFeeRate: 0.03m,
        Figure: CostFigure.Cat);
}
