using System.Threading.RateLimiting;

namespace CreditDesk.Web.Security;

/// <summary>
/// Failed API-key authentications per client address (<c>RateLimits:api-key-failures</c>, 20 a minute): past the limit,
/// that address's unknown keys are answered 429 without asking the database, until the window ends. Keys already known
/// (cached) still work from it.
/// </summary>
public sealed class ApiKeyFailures : IDisposable
{
    public const string Name = "api-key-failures";
    private readonly PartitionedRateLimiter<string> limiter;

    public ApiKeyFailures(IConfiguration configuration)
    {
        var section = configuration.GetSection($"RateLimits:{Name}");
        var options = new FixedWindowRateLimiterOptions
        {
            PermitLimit = section.GetValue("PermitLimit", 20),
            Window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 60)),
            QueueLimit = 0,
        };
        WindowSeconds = (int)options.Window.TotalSeconds;
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => options));
    }

    /// <summary>How long a blocked address waits at most (its Retry-After).</summary>
    public int WindowSeconds { get; }

    /// <summary>Whether this address has used up its failures for the current window.</summary>
    public bool IsBlocked(string address) => limiter.GetStatistics(address)?.CurrentAvailablePermits == 0;

    /// <summary>Counts one failure against the address.</summary>
    public void Record(string address)
    {
        using var lease = limiter.AttemptAcquire(address);
    }

    public void Dispose() => limiter.Dispose();
}
