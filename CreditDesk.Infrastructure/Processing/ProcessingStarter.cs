using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace CreditDesk.Infrastructure.Processing;

// Not AddQuartzHostedService: it starts the scheduler with the host, before the migrations have created Quartz's tables.
/// <summary>
/// Creates and starts this node's Quartz scheduler once the schema (Quartz's tables included) exists — never before,
/// so a node can start while the database is still down — then lets wake-ups drain here, and on stop waits for the
/// drains running and shuts the scheduler down, letting running jobs finish.
/// Starting and stopping take turns: a stop that arrives while the scheduler is being created waits for it and then
/// shuts it down, so no scheduler outlives its host (one that did kept its threads, and the test process, alive).
/// </summary>
public sealed class ProcessingStarter(
    ISchedulerFactory schedulers, SchemaReadiness schema, ProcessingWakeup wakeup, OutboxDrain drain, IOptions<ProcessingOptions> options) : BackgroundService
{
    // Never disposed: StopAsync may be called again after the container is gone (WebApplicationFactory does).
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool stopped;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await schema.WhenReady.WaitAsync(stoppingToken);
        await gate.WaitAsync(stoppingToken);
        IScheduler scheduler;
        try
        {
            if (stopped)
            {
                return;
            }
            // Not cancellable half-way: a scheduler is either fully started here or shut down by StopAsync.
            scheduler = await schedulers.GetScheduler(CancellationToken.None);
            await scheduler.Start(CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
        // This node's wake-ups drain on this node (ProcessingWakeup); the scheduler runs the clustered sweep.
        wakeup.Attach(() => drain.RunAsync(CancellationToken.None));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            if (stopped)
            {
                return;
            }
            stopped = true;
            await wakeup.DetachAsync();
            // The factory is per container, so these are this host's schedulers only. Running drains stop with the
            // host, so waiting for them is short, and the host's stop timeout must not abort the shutdown half-way.
            foreach (var created in await schedulers.GetAllSchedulers(CancellationToken.None))
            {
                await created.Shutdown(waitForJobsToComplete: true, CancellationToken.None);
            }
        }
        finally
        {
            gate.Release();
        }
        await base.StopAsync(cancellationToken);
    }
}
