namespace CreditDesk.Domain.Decisions;

/// <summary>The money side of an application, in the country's currency.</summary>
public sealed record LoanRequest(decimal Amount, decimal MonthlyIncome, int TermMonths)
{
    public const int MonthsPerYear = 12;

    /// <summary>SPEC §2: amount / term, rounded to cents.</summary>
    public decimal EstimatedMonthlyPayment => Money.RoundToCents(Amount / TermMonths);

    public decimal AnnualIncome => MonthlyIncome * MonthsPerYear;

    /// <summary>Estimated payment / monthly income.</summary>
    public decimal PaymentToIncome => EstimatedMonthlyPayment / MonthlyIncome;

    /// <summary>SPEC §2: (bureau monthly obligations + estimated payment) / monthly income.</summary>
    public decimal DebtToIncome(decimal monthlyObligations) => (monthlyObligations + EstimatedMonthlyPayment) / MonthlyIncome;
}
