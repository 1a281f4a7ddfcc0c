using CreditDesk.Domain.Bureaus;

namespace CreditDesk.Domain.Decisions;

/// <summary>
/// A 0–100 risk score (higher is riskier), the same everywhere. Each part only grows as its input gets worse,
/// so the total is monotone: a lower bureau score, higher debt-to-income, larger loan for the income or a default
/// never lowers it.
/// </summary>
public static class RiskScore
{
    public const int ReviewAtOrAbove = 70;

    private const decimal ScoreWeight = 45m;
    private const decimal DebtToIncomeWeight = 30m;
    private const decimal LoanToIncomeWeight = 10m;
    private const decimal DefaultsWeight = 15m;
    private const decimal LoanToIncomeCap = 5m;

    public static int Calculate(Assessment assessment)
    {
        var report = assessment.Report;
        var request = assessment.Request;

        var score = Math.Clamp(report.Score, BureauReport.MinimumScore, BureauReport.MaximumScore);
        var scorePart = (decimal)(BureauReport.MaximumScore - score) / (BureauReport.MaximumScore - BureauReport.MinimumScore) * ScoreWeight;
        var debtPart = Math.Clamp(assessment.DebtToIncome, 0m, 1m) * DebtToIncomeWeight;
        var loanPart = Math.Clamp(request.Amount / request.AnnualIncome, 0m, LoanToIncomeCap) / LoanToIncomeCap * LoanToIncomeWeight;
        var defaultsPart = report.HasActiveDefaults ? DefaultsWeight : 0m;

        var total = Math.Round(scorePart + debtPart + loanPart + defaultsPart, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(total, 0m, 100m);
    }
}
