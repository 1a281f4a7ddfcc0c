using CreditDesk.Infrastructure.Events;

namespace CreditDesk.Web.Components.Live;

/// <summary>
/// The circuit's one subscription to application events, shared by every component on screen (a grid and an open
/// detail listen to the same feed). It subscribes when the first component listens and lets go when the last one stops,
/// so a circuit on a page without live parts holds no subscription. The feed's pump starts from the circuit, so its batches
/// run in the circuit's culture: a live update speaks the page's language (LanguageTests shows it).
/// </summary>
public sealed class CircuitLiveUpdates(ApplicationEventHub hub) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<Func<IReadOnlyList<ApplicationChanged>, Task>> listeners = [];
    private LiveFeed? feed;

    /// <summary>Calls <paramref name="onBatch"/> with each coalesced batch until the returned handle is disposed.</summary>
    public IAsyncDisposable Listen(Func<IReadOnlyList<ApplicationChanged>, Task> onBatch)
    {
        lock (gate)
        {
            listeners.Add(onBatch);
            feed ??= new LiveFeed(hub, DispatchAsync);
        }
        return new Listening(this, onBatch);
    }

    /// <summary>Calls <paramref name="onChange"/> once for each batch in which some change is about an application that <paramref name="concerns"/> the listener.</summary>
    public IAsyncDisposable ListenFor(Func<Guid, bool> concerns, Func<Task> onChange) =>
        Listen(batch => batch.Any(change => concerns(change.Id)) ? onChange() : Task.CompletedTask);

    private async Task DispatchAsync(IReadOnlyList<ApplicationChanged> batch)
    {
        Func<IReadOnlyList<ApplicationChanged>, Task>[] current;
        lock (gate)
        {
            current = [.. listeners];
        }
        foreach (var listener in current)
        {
            await listener(batch);
        }
    }

    private async ValueTask StopListeningAsync(Func<IReadOnlyList<ApplicationChanged>, Task> onBatch)
    {
        LiveFeed? idle = null;
        lock (gate)
        {
            listeners.Remove(onBatch);
            if (listeners.Count == 0)
            {
                (idle, feed) = (feed, null);
            }
        }
        if (idle is not null)
        {
            await idle.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        LiveFeed? last;
        lock (gate)
        {
            listeners.Clear();
            (last, feed) = (feed, null);
        }
        if (last is not null)
        {
            await last.DisposeAsync();
        }
    }

    private sealed class Listening(CircuitLiveUpdates owner, Func<IReadOnlyList<ApplicationChanged>, Task> onBatch) : IAsyncDisposable
    {
        private int disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref disposed, 1) == 0 ? owner.StopListeningAsync(onBatch) : ValueTask.CompletedTask;
    }
}
