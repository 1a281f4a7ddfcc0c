using System.Diagnostics;
using CreditDesk.Infrastructure.Events;

namespace CreditDesk.Web.Components.Live;

/// <summary>
/// A component's subscription to application events, handed over in batches at most once per <see cref="CoalesceWindow"/>:
/// an event after a quiet spell goes out at once (no waiting out a window nobody needs), one during a burst waits for the
/// window to pass and goes with everything else that arrived meanwhile, so 500 updates a second cost 25 renders, not 500.
/// </summary>
public sealed class LiveFeed : IAsyncDisposable
{
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(40);

    private readonly ApplicationEventHub.Subscription subscription;
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;

    public LiveFeed(ApplicationEventHub hub, Func<IReadOnlyList<ApplicationChanged>, Task> onBatch)
    {
        subscription = hub.Subscribe();
        pump = PumpAsync(onBatch);
    }

    private async Task PumpAsync(Func<IReadOnlyList<ApplicationChanged>, Task> onBatch)
    {
        var reader = subscription.Reader;
        var lastBatch = 0L;
        try
        {
            while (await reader.WaitToReadAsync(stop.Token))
            {
                var since = lastBatch == 0 ? CoalesceWindow : Stopwatch.GetElapsedTime(lastBatch);
                if (since < CoalesceWindow)
                {
                    await Task.Delay(CoalesceWindow - since, stop.Token);
                }
                lastBatch = Stopwatch.GetTimestamp();
                var batch = new List<ApplicationChanged>();
                while (reader.TryRead(out var change))
                {
                    batch.Add(change);
                }
                if (batch.Count > 0)
                {
                    await onBatch(batch);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away while a render was queued.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        subscription.Dispose();
        await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.Dispose();
    }
}
