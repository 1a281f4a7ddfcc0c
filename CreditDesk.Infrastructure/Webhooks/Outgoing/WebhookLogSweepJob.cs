using Microsoft.Extensions.Logging;
using Quartz;

namespace CreditDesk.Infrastructure.Webhooks.Outgoing;

/// <summary>
/// Deletes outgoing events past <see cref="OutgoingWebhookOptions.LogRetention"/> whose deliveries are all finished,
/// with their delivery log. A clustered Quartz trigger: one node runs each fire, never two at once.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class WebhookLogSweepJob(WebhookEndpoints endpoints, ILogger<WebhookLogSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sweep-webhook-log", "creditdesk");
    public static readonly TriggerKey TriggerKey = new("sweep-webhook-log-every", "creditdesk");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var swept = await endpoints.SweepLogAsync(cancellationToken);
        if (swept > 0)
        {
            LogSwept(logger, swept);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} outgoing events past their retention, with their delivery log")]
    private static partial void LogSwept(ILogger logger, long count);
}
