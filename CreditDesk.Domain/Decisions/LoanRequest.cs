namespace CreditDesk.Domain.Decisions;

/// <summary>
/// The money side of an application, in the country's currency. <see cref="MonthlyPayment"/> is the annuity at the
/// country's loan rate (the decision engine prices it); without it the payment is amount / term (SPEC §2's first estimate).
/// </summary>
public sealed record LoanRequest(decimal Amount, decimal MonthlyIncome, int TermMonths, decimal? MonthlyPayment = null)
{
    public const int MonthsPerYear = 12;

    public decimal EstimatedMonthlyPayment => MonthlyPayment ?? Money.RoundToCents(Amount / TermMonths);

    public decimal AnnualIncome => MonthlyIncome * MonthsPerYear;

    /// <summary>Estimated payment / monthly income.</summary>
    public decimal PaymentToIncome => EstimatedMonthlyPayment / MonthlyIncome;

    /// <summary>SPEC §2: (bureau monthly obligations + estimated payment) / monthly income.</summary>
    public decimal DebtToIncome(decimal monthlyObligations) => (monthlyObligations + EstimatedMonthlyPayment) / MonthlyIncome;
}
