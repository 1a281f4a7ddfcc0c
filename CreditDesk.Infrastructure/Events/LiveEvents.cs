using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Events;

/// <summary>How application changes travel between nodes (section <c>LiveEvents</c>).</summary>
public sealed class LiveEventOptions
{
    public const string Section = "LiveEvents";

    /// <summary>How long a batch gathers after its first change before it leaves in one statement.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(3);

    /// <summary>How often a node looks whether another node's connections are gone (a node that died may not have published).</summary>
    public TimeSpan PeerCheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How far back the changes are read again when a node is gone or the listener reconnects.</summary>
    public TimeSpan ReplayMargin { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>One NOTIFY payload on <see cref="LiveEvents.Channel"/>: changes committed by one node, and whether it filled the outbox.</summary>
public sealed record LiveBatch(string Node, bool Outbox, IReadOnlyList<ApplicationChanged> Events);

/// <summary>
/// Application changes leave the node that committed them: at once to this node's own screens (the hub), and to the
/// other nodes in batches — one statement per <see cref="LiveEventOptions.BatchWindow"/> carrying every change committed
/// meanwhile — instead of a NOTIFY inside every committing transaction (PostgreSQL serialises notifying commits, which
/// capped intake and the drain). New outbox rows wake this node's drain directly and the other nodes' through the
/// batch. A change whose node died before publishing it is read back from the database by the others (see
/// <see cref="PostgresNotificationListener"/>); the clustered sweep still finds outbox rows no one was woken for.
/// </summary>
public sealed partial class LiveEvents(
    NpgsqlDataSource dataSource,
    ApplicationEventHub hub,
    ProcessingWakeup wakeup,
    NodeIdentity node,
    IOptions<LiveEventOptions> options,
    ILogger<LiveEvents> logger) : BackgroundService
{
    public const string Channel = "creditdesk_live";

    /// <summary>At most this many changes per statement (a backlog leaves in several).</summary>
    private const int MaximumBatch = 2_000;

    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(5);

    private readonly Channel<ApplicationChanged> queue = System.Threading.Channels.Channel.CreateUnbounded<ApplicationChanged>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly List<ApplicationChanged> batch = [];
    private int outboxFilled;
    private long statements;

    /// <summary>Notifying statements this node has sent (tests and benchmarks count them).</summary>
    public long Statements => Interlocked.Read(ref statements);

    /// <summary>A change this node has committed: shown here at once, sent to the others with the next batch.</summary>
    public void Committed(ApplicationChanged? change)
    {
        if (change is null)
        {
            return;
        }
        hub.Publish(change);
        queue.Writer.TryWrite(change);
    }

    /// <summary>A submission this node has committed: its outbox row wakes this node's drain now and the others' with the batch.</summary>
    public void Submitted(ApplicationChanged change)
    {
        Volatile.Write(ref outboxFilled, 1);
        Committed(change);
        wakeup.Signal();
    }

    /// <summary>A batch another node sent (this node's own were shown when committed).</summary>
    internal void Receive(string payload)
    {
        if (JsonSerializer.Deserialize<LiveBatch>(payload, Persistence.Json.Options) is not { } received || received.Node == node.Process)
        {
            return;
        }
        foreach (var change in received.Events)
        {
            hub.Publish(change);
        }
        if (received.Outbox)
        {
            wakeup.Signal();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        try
        {
            // A batch that failed to leave is tried again without waiting for a new change to come along.
            while (batch.Count > 0 || Volatile.Read(ref outboxFilled) == 1 || await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.Value.BatchWindow, stoppingToken);
                try
                {
                    await FlushAsync(stoppingToken);
                    backoff = TimeSpan.FromMilliseconds(100);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // The batch stays and goes with the next attempt: a screen may see the change late, not never.
                    LogPublishFailed(logger, exception, batch.Count, backoff);
                    await Task.Delay(backoff, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaximumBackoff.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // What was committed before the stop still reaches the others (best effort: they catch up when we are gone).
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await FlushAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            LogPublishFailed(logger, exception, batch.Count, TimeSpan.Zero);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        bool full;
        do
        {
            while (batch.Count < MaximumBatch && queue.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }
            // More than one statement's worth was waiting: the rest goes at once, not after another window.
            full = batch.Count == MaximumBatch;
            var outbox = Interlocked.Exchange(ref outboxFilled, 0) == 1;
            if (batch.Count == 0 && !outbox)
            {
                return;
            }
            try
            {
                await Notifications.SendAsync(dataSource, Channel, Payloads(node.Process, outbox, batch), cancellationToken);
            }
            catch
            {
                if (outbox)
                {
                    Volatile.Write(ref outboxFilled, 1);
                }
                throw;
            }
            Interlocked.Increment(ref statements);
            batch.Clear();
        }
        while (full);
    }

    /// <summary>The changes as NOTIFY payloads, each a <see cref="LiveBatch"/> under the payload limit.</summary>
    public static IReadOnlyList<string> Payloads(string node, bool outbox, IReadOnlyList<ApplicationChanged> changes)
    {
        var serialized = changes.Select(change => JsonSerializer.Serialize(change, Persistence.Json.Options)).ToList();
        var head = $"{{\"node\":{JsonSerializer.Serialize(node)},\"outbox\":{(outbox ? "true" : "false")},\"events\":[";
        return Notifications.Parts(serialized, Encoding.UTF8.GetByteCount, envelope: Encoding.UTF8.GetByteCount(head) + 2)
            .Select(part => new StringBuilder(head).AppendJoin(',', part).Append("]}").ToString())
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Count} application changes to the other nodes; trying again in {Backoff}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int count, TimeSpan backoff);
}
