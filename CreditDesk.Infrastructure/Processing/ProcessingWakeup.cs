using Microsoft.Extensions.Logging;

namespace CreditDesk.Infrastructure.Processing;

/// <summary>
/// Wakes this node's outbox drain without polling: a submit on this node or a batch of events from another runs the
/// drain here at once, in-process. Not through Quartz (as it was): a job triggered on a clustered scheduler is a row in
/// its tables, fired by whichever node acquires it first, so a node's wake-up could land on a busy neighbour, which
/// dropped it, and each wake-up cost Quartz's writes and lock. Quartz keeps the clustered sweep, the safety net. Signals that
/// arrive while a drain runs are coalesced into one more pass, so a burst of 2 000 submits costs a handful of passes,
/// not 2 000.
/// </summary>
public sealed partial class ProcessingWakeup(ILogger<ProcessingWakeup> logger)
{
    private readonly Lock gate = new();
    private readonly HashSet<Task> runs = [];
    private Func<Task>? drainHere;
    private int draining;
    private int requested;
    private int starting;

    public void Signal()
    {
        Volatile.Write(ref requested, 1);
        if (Volatile.Read(ref draining) == 0 && Volatile.Read(ref drainHere) is { } drain && Interlocked.CompareExchange(ref starting, 1, 0) == 0)
        {
            Start(drain);
        }
    }

    /// <summary>Called once this node processes (its scheduler runs); until then, or with processing off, signals only mark work as waiting.</summary>
    internal void Attach(Func<Task> drain)
    {
        Volatile.Write(ref drainHere, drain);
        Signal();
    }

    /// <summary>No more drains from signals; waits for the ones running (they stop with the host).</summary>
    internal async Task DetachAsync()
    {
        Volatile.Write(ref drainHere, null);
        Task[] running;
        lock (gate)
        {
            running = [.. runs];
        }
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Whether this caller drains now (no drain runs on this node); it then takes every signal made so far.</summary>
    internal bool TryBeginDrain()
    {
        if (Interlocked.CompareExchange(ref draining, 1, 0) != 0)
        {
            // Signals stay noted for the running drain's next pass.
            return false;
        }
        Volatile.Write(ref requested, 0);
        return true;
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

    private void Start(Func<Task> drain)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                await drain();
            }
            catch (Exception exception)
            {
                LogDrainFailed(logger, exception);
            }
        });
        lock (gate)
        {
            runs.Add(run);
        }
        // Once started, a later signal either finds the drain running (it makes another pass) or starts the next one.
        Volatile.Write(ref starting, 0);
        _ = run.ContinueWith(finished =>
        {
            lock (gate)
            {
                runs.Remove(finished);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox drain failed; the periodic sweep will pick the work up")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception);
}
