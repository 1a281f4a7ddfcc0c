using System.Threading.RateLimiting;

namespace CreditDesk.Web.Security;

/// <summary>
/// A fixed window per key, read from <c>RateLimits:&lt;name&gt;</c> (PermitLimit, WindowSeconds) like the middleware's
/// policies: for limits the rate-limiting middleware cannot apply (inside authentication, inside a circuit).
/// </summary>
public abstract class KeyedWindow : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    protected KeyedWindow(IConfiguration configuration, string name, int defaultPermits, int defaultWindowSeconds)
    {
        var options = Options(configuration, name, defaultPermits, defaultWindowSeconds);
        WindowSeconds = (int)options.Window.TotalSeconds;
        limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => options));
    }

    /// <summary>How long a key waits at most once its window is used up (its Retry-After).</summary>
    public int WindowSeconds { get; }

    /// <summary>The window configured under <c>RateLimits:&lt;name&gt;</c>, or the defaults.</summary>
    public static FixedWindowRateLimiterOptions Options(IConfiguration configuration, string name, int defaultPermits, int defaultWindowSeconds)
    {
        var section = configuration.GetSection($"RateLimits:{name}");
        return new FixedWindowRateLimiterOptions
        {
            PermitLimit = section.GetValue("PermitLimit", defaultPermits),
            Window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", defaultWindowSeconds)),
            QueueLimit = 0,
        };
    }

    /// <summary>Takes one permit from the key's window; false when it is used up.</summary>
    public bool TryTake(string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    /// <summary>Whether the key's window is used up, without taking from it.</summary>
    public bool IsUsedUp(string key) => limiter.GetStatistics(key)?.CurrentAvailablePermits == 0;

    public void Dispose()
    {
        limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Failed API-key authentications per client address (<c>RateLimits:api-key-failures</c>, 20 a minute): past the limit,
/// that address's unknown keys are answered 429 without asking the database, until the window ends. Keys already known
/// (cached) still work from it.
/// </summary>
public sealed class ApiKeyFailures(IConfiguration configuration) : KeyedWindow(configuration, Name, 20, 60)
{
    public const string Name = "api-key-failures";
}

/// <summary>
/// The apply form's submissions per signed-in person, limited like the API's (<c>RateLimits:submit</c>): a circuit is
/// not a way around the limit. The form says so in the person's language instead of answering 429.
/// </summary>
public sealed class FormSubmissions(IConfiguration configuration)
    : KeyedWindow(configuration, RateLimits.Submit, RateLimits.SubmitPermits, RateLimits.SubmitWindowSeconds);
