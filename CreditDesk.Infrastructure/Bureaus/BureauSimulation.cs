using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using Microsoft.Extensions.Configuration;

namespace CreditDesk.Infrastructure.Bureaus;

/// <summary>Latency and failure rate of one country's simulated bureau.</summary>
public sealed record BureauFaults(TimeSpan Latency, double FailureRate)
{
    public static BureauFaults None { get; } = new(TimeSpan.Zero, 0);
}

/// <summary>Fault settings per country, changeable at run time (outside Production) to demonstrate and test resilience.</summary>
public sealed class BureauFaultSettings
{
    private readonly ConcurrentDictionary<string, BureauFaults> byCountry = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Start-up faults from <c>Bureaus:Faults:&lt;country&gt;:{Latency,FailureRate}</c> (benchmarks and fault drills start
    /// nodes with a slow or failing bureau); an unknown country or an out-of-range value stops the start.
    /// </summary>
    public static BureauFaultSettings FromConfiguration(IConfigurationSection section)
    {
        var settings = new BureauFaultSettings();
        foreach (var country in section.GetChildren())
        {
            if (!CountryRegistry.TryGet(country.Key, out _))
            {
                throw new InvalidOperationException($"Bureaus:Faults:{country.Key} is not a supported country.");
            }
            var latency = country.GetValue("Latency", TimeSpan.Zero);
            var failureRate = country.GetValue("FailureRate", 0.0);
            settings.Set(country.Key, new BureauFaults(latency, failureRate));
        }
        return settings;
    }

    public BureauFaults For(string country) => byCountry.GetValueOrDefault(country, BureauFaults.None);

    public void Set(string country, BureauFaults faults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(faults.FailureRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(faults.FailureRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(faults.Latency, TimeSpan.Zero);
        byCountry[country] = faults;
    }
}

/// <summary>The bureau did not answer (simulated outage, network error, 5xx).</summary>
public sealed class BureauUnavailableException(string message) : Exception(message);

/// <summary>
/// Stand-in for the six real bureaus. The report is a pure function of country and document (same person, same report);
/// latency and failures come from <see cref="BureauFaultSettings"/>.
/// </summary>
public sealed class SimulatedCreditBureau(BureauFaultSettings faults) : ICreditBureau
{
    private const double DefaultsShare = 0.08;
    private const double ReportsIncomeShare = 0.7;

    public async Task<BureauReport> GetReportAsync(string countryCode, string normalizedDocument, CancellationToken cancellationToken)
    {
        var policy = CountryRegistry.Get(countryCode);
        var settings = faults.For(policy.Code);
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, cancellationToken);
        }
        if (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate)
        {
            throw new BureauUnavailableException($"{policy.BureauName} did not answer (simulated failure).");
        }
        // The figures are a pure function of the person; each pull gets its own reference, as a real bureau's does.
        return Report(policy, normalizedDocument) with { RequestId = $"{policy.Code}-{Guid.CreateVersion7():N}" };
    }

    public static BureauReport Report(ICountryPolicy policy, string normalizedDocument)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes($"{policy.Code}:{normalizedDocument}"));
        double Fraction(int offset) => BitConverter.ToUInt32(seed, offset) / (double)uint.MaxValue;

        var typicalIncome = TypicalMonthlyIncome(policy.Currency);
        var score = BureauReport.MinimumScore + (int)Math.Round(Fraction(0) * (BureauReport.MaximumScore - BureauReport.MinimumScore));
        var obligations = Math.Round((decimal)Fraction(4) * typicalIncome * 0.4m, 2);
        var totalDebt = Math.Round(obligations * (12 + (decimal)Fraction(8) * 48), 2);
        var defaults = Fraction(12) < DefaultsShare;
        decimal? income = Fraction(16) < ReportsIncomeShare ? Math.Round(typicalIncome * (0.5m + (decimal)Fraction(20)), 2) : null;
        return new BureauReport(policy.BureauName, score, totalDebt, obligations, defaults, income);
    }

    // Order of magnitude of a monthly salary, so simulated debts look plausible in each currency.
    private static decimal TypicalMonthlyIncome(string currency) => currency switch
    {
        "MXN" => 15_000m,
        "COP" => 3_000_000m,
        "BRL" => 4_000m,
        _ => 2_000m,
    };
}
