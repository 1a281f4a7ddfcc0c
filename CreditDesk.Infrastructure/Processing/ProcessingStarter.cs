using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Creates and starts this node's Quartz scheduler once the schema (Quartz's tables included) exists — never before,
/// so a node can start while the database is still down — and shuts it down, letting running jobs finish, on stop.
/// </summary>
public sealed class ProcessingStarter(
    ISchedulerFactory schedulers, SchemaReadiness schema, ProcessingWakeup wakeup, IOptions<ProcessingOptions> options) : BackgroundService
{
    private IScheduler? scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await schema.WhenReady.WaitAsync(stoppingToken);
        scheduler = await schedulers.GetScheduler(stoppingToken);
        await scheduler.Start(stoppingToken);
        wakeup.Attach(scheduler);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (scheduler is not null)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
    }
}
