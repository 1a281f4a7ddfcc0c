namespace CreditDesk.Domain.Bureaus;

/// <summary>What a credit bureau says about a person, in the applicant's currency. A fallback report is conservative
/// stand-in data used when the bureau could not be reached; it never lets an application be approved.
/// <see cref="RequestId"/> is the bureau's reference for the pull (none for a fallback); <see cref="PulledAt"/> when it
/// was answered (or the fallback taken) — both go into the decision record.</summary>
public sealed record BureauReport(
    string Provider,
    int Score,
    decimal TotalDebt,
    decimal MonthlyObligations,
    bool HasActiveDefaults,
    decimal? ReportedMonthlyIncome,
    bool IsFallback = false,
    string? RequestId = null,
    DateTimeOffset? PulledAt = null)
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
