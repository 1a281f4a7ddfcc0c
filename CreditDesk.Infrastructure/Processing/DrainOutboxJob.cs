using Quartz;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// The Quartz job that drains the outbox. It runs on a periodic sweep (clustered: one node per fire) and on demand when
/// work arrives; several nodes may drain at once, since claims use <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public sealed class DrainOutboxJob(OutboxDrain drain) : IJob
{
    public static readonly JobKey Key = new("drain-outbox", "creditdesk");
    public static readonly TriggerKey SweepKey = new("drain-outbox-sweep", "creditdesk");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await drain.RunAsync(cancellationToken);
}
