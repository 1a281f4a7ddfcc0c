using CreditDesk.Domain.Bureaus;

namespace CreditDesk.Domain.Decisions;

/// <summary>Everything a country's rules look at: the request, the bureau report, and the ratios between them.</summary>
public sealed record Assessment(LoanRequest Request, BureauReport Report)
{
    public decimal DebtToIncome => Request.DebtToIncome(Report.MonthlyObligations);
}
