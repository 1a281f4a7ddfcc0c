using Microsoft.Extensions.Logging;
using Quartz;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Wakes this node's outbox drain without polling: a submit on this node or a NOTIFY from another triggers the Quartz
/// drain job at once. Signals that arrive while a drain runs are coalesced into one more pass, so a burst of 2 000
/// submits costs a handful of triggers, not 2 000.
/// </summary>
public sealed partial class ProcessingWakeup(ILogger<ProcessingWakeup> logger)
{
    private IScheduler? scheduler;
    private int draining;
    private int requested;
    private int triggering;

    public void Signal()
    {
        Volatile.Write(ref requested, 1);
        if (Volatile.Read(ref draining) == 0 && Interlocked.CompareExchange(ref triggering, 1, 0) == 0)
        {
            _ = TriggerDrainAsync();
        }
    }

    /// <summary>Called once this node's scheduler runs; until then (or with processing off) signals only mark work as waiting.</summary>
    internal void Attach(IScheduler running)
    {
        Volatile.Write(ref scheduler, running);
        Signal();
    }

    internal bool TryBeginDrain()
    {
        Volatile.Write(ref requested, 0);
        return Interlocked.CompareExchange(ref draining, 1, 0) == 0;
    }

    /// <summary>True when a signal came in since the last call: the drain should make another pass.</summary>
    internal bool TakeRequest() => Interlocked.Exchange(ref requested, 0) == 1;

    internal void EndDrain()
    {
        Volatile.Write(ref draining, 0);
        if (Volatile.Read(ref requested) == 1)
        {
            Signal();
        }
    }

    private async Task TriggerDrainAsync()
    {
        try
        {
            if (Volatile.Read(ref scheduler) is { Status: SchedulerStatus.Running } running)
            {
                await running.TriggerJob(DrainOutboxJob.Key, new JobDataMap(), CancellationToken.None);
            }
        }
        catch (Exception exception)
        {
            LogTriggerFailed(logger, exception);
        }
        finally
        {
            Volatile.Write(ref triggering, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not trigger the outbox drain; the periodic sweep will pick the work up")]
    private static partial void LogTriggerFailed(ILogger logger, Exception exception);
}
