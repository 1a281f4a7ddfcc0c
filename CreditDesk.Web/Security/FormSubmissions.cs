using System.Threading.RateLimiting;

namespace CreditDesk.Web.Security;

/// <summary>
/// The apply form's submissions per signed-in person, limited like the API's (<c>RateLimits:submit</c>): a circuit is
/// not a way around the limit. The form says so in the person's language instead of answering 429.
/// </summary>
public sealed class FormSubmissions : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public FormSubmissions(IConfiguration configuration)
    {
        var section = configuration.GetSection($"RateLimits:{RateLimits.Submit}");
        var options = new FixedWindowRateLimiterOptions
        {
            PermitLimit = section.GetValue("PermitLimit", RateLimits.SubmitPermits),
            Window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", RateLimits.SubmitWindowSeconds)),
            QueueLimit = 0,
        };
        limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetFixedWindowLimiter(userId, _ => options));
    }

    /// <summary>Takes one submission from the person's window; false when it is used up.</summary>
    public bool TryTake(string userId)
    {
        using var lease = limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
