using CreditDesk.Infrastructure.Events;

namespace CreditDesk.Web.Components.Live;

/// <summary>
/// A component's subscription to application events: waits for the first event, gathers whatever else arrives within a
/// short window, and hands the batch over in one call, so a burst of 500 updates a second costs a few renders, not 500.
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
        try
        {
            while (await reader.WaitToReadAsync(stop.Token))
            {
                await Task.Delay(CoalesceWindow, stop.Token);
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
