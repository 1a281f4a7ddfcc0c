namespace CreditDesk.Infrastructure.Bureaus;

/// <summary>The Polly pipeline in front of each country's bureau (section <c>Bureaus:Resilience</c>).</summary>
public sealed class BureauResilienceOptions
{
    public const string Section = "Bureaus:Resilience";

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public int MaxRetryAttempts { get; set; } = 2;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public double FailureRatio { get; set; } = 0.5;
    public int MinimumThroughput { get; set; } = 10;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
