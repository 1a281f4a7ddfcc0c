using System.Threading.Channels;

namespace CreditDesk.Infrastructure.Events;

/// <summary>
/// A change to an application as every node hears it: no personal data, just enough to re-render a row. <see cref="What"/>
/// says what changed: its status (or its arrival, when <see cref="PreviousStatus"/> is null), its assignee, its notes,
/// a four-eyes proposal, or its supporting documents.
/// </summary>
public sealed record ApplicationChanged(
    Guid Id, string Country, string Status, string? PreviousStatus, DateTimeOffset UpdatedAt, int? RiskScore = null, string? AssignedTo = null,
    string What = ApplicationChanged.StatusChange)
{
    public const string StatusChange = "status";
    public const string AssignmentChange = "assignment";
    public const string NoteChange = "note";
    public const string ProposalChange = "proposal";
    public const string DocumentChange = "document";
    /// <summary>An applicant asked for a human review, or staff gave its outcome.</summary>
    public const string ReviewChange = "review";

    public bool IsStatusChange => What == StatusChange;
}

/// <summary>
/// In-process fan-out of application events to subscribers (Blazor circuits, tests). Each subscriber has its own
/// bounded queue that drops its oldest events when full, so a slow subscriber never blocks the pipeline or the others.
/// </summary>
public sealed class ApplicationEventHub
{
    public const int SubscriberCapacity = 1_000;

    private readonly Lock gate = new();

    // Copy-on-write: publishing reads a snapshot without locking; subscribing and leaving are rare.
    private Subscription[] subscribers = [];

    public int SubscriberCount => Volatile.Read(ref subscribers).Length;

    public void Publish(ApplicationChanged change)
    {
        foreach (var subscriber in Volatile.Read(ref subscribers))
        {
            subscriber.Writer.TryWrite(change);
        }
    }

    /// <summary>Subscribes until the returned handle is disposed; read events from <see cref="Subscription.Reader"/>.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ApplicationChanged>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var subscription = new Subscription(this, channel);
        lock (gate)
        {
            Volatile.Write(ref subscribers, [.. subscribers, subscription]);
        }
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (gate)
        {
            Volatile.Write(ref subscribers, subscribers.Where(s => s != subscription).ToArray());
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly ApplicationEventHub hub;
        private readonly Channel<ApplicationChanged> channel;

        internal Subscription(ApplicationEventHub hub, Channel<ApplicationChanged> channel)
        {
            this.hub = hub;
            this.channel = channel;
        }

        public ChannelReader<ApplicationChanged> Reader => channel.Reader;

        internal ChannelWriter<ApplicationChanged> Writer => channel.Writer;

        public void Dispose()
        {
            hub.Remove(this);
            channel.Writer.TryComplete();
        }
    }
}
