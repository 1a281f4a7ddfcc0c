using Microsoft.Extensions.Logging;
using Quartz;

namespace CreditDesk.Infrastructure.Applications;

/// <summary>
/// Deletes Idempotency-Keys past their 24 hours. A clustered Quartz trigger: one node runs each fire, never two at once,
/// so the table holds about a day of creates whatever the traffic.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class IdempotencySweepJob(IdempotencyStore store, ILogger<IdempotencySweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep-idempotency-keys", "creditdesk");
    public static readonly TriggerKey TriggerKey = new("sweep-idempotency-keys-every", "creditdesk");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var swept = await store.SweepExpiredAsync(cancellationToken);
        if (swept > 0)
        {
            LogSwept(logger, swept);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency keys")]
    private static partial void LogSwept(ILogger logger, long count);
}
