namespace CreditDesk.Domain.Bureaus;

/// <summary>What a credit bureau says about a person, in the applicant's currency. A fallback report is conservative
/// stand-in data used when the bureau could not be reached; it never lets an application be approved.</summary>
public sealed record BureauReport(
    string Provider,
    int Score,
    decimal TotalDebt,
    decimal MonthlyObligations,
    bool HasActiveDefaults,
    decimal? ReportedMonthlyIncome,
    bool IsFallback = false)
{
    public const int MinimumScore = 300;
    public const int MaximumScore = 850;

    public static BureauReport Fallback(string provider) =>
        new(provider, MinimumScore, TotalDebt: 0m, MonthlyObligations: 0m, HasActiveDefaults: false, ReportedMonthlyIncome: null, IsFallback: true);
}

/// <summary>The port to a country's credit bureau.</summary>
public interface ICreditBureau
{
    Task<BureauReport> GetReportAsync(string countryCode, string normalizedDocument, CancellationToken cancellationToken);
}
