using System.Globalization;
using System.Threading.RateLimiting;
using CreditDesk.Web.Api;
using Microsoft.AspNetCore.RateLimiting;

namespace CreditDesk.Web.Security;

/// <summary>Per-client fixed windows on submit, sign-in and the webhook (section <c>RateLimits:&lt;name&gt;</c>), answering 429 with Retry-After.</summary>
public static class RateLimits
{
    public const string Submit = "submit";
    public const string Webhook = "webhook";
    public const string SignIn = "sign-in";
    public const int SubmitPermits = 1_000;
    public const int SubmitWindowSeconds = 1;

    public static IServiceCollection AddCreditDeskRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRateLimiter(options =>
        {
            AddPolicy(options, configuration, Submit, defaultPermits: SubmitPermits, defaultWindowSeconds: SubmitWindowSeconds,
                context => context.User.Identity?.IsAuthenticated == true ? $"user:{context.User.Identity.Name}" : Address(context));
            AddPolicy(options, configuration, Webhook, defaultPermits: 5_000, defaultWindowSeconds: 1, Address);
            AddPolicy(options, configuration, SignIn, defaultPermits: 20, defaultWindowSeconds: 60, Address);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"Slow down and retry after {seconds} s.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        services.AddSingleton<FormSubmissions>();
        return services;
    }

    private static void AddPolicy(RateLimiterOptions options, IConfiguration configuration, string name, int defaultPermits, int defaultWindowSeconds,
        Func<HttpContext, string> partition)
    {
        var window = KeyedWindow.Options(configuration, name, defaultPermits, defaultWindowSeconds);
        options.AddPolicy(name, context => RateLimitPartition.GetFixedWindowLimiter(partition(context), _ => window));
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
