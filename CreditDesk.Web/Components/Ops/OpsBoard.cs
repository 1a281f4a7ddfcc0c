using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Operations;
using CreditDesk.Web.Components.Live;

namespace CreditDesk.Web.Components.Ops;

/// <summary>A queue-depth reading taken by this screen (the chart of the last minutes).</summary>
public sealed record QueueSample(DateTimeOffset At, long Due);

/// <summary>
/// What one circuit's /ops screen shows: queue, latency, decisions per minute, open human-review requests, dead letters and webhook failures. It reads
/// them every two seconds and on every live change, keeps the last queue readings for the chart, and tells the page.
/// </summary>
public sealed class OpsBoard(OpsQueries queries, DecisionTrail trail, CircuitLiveUpdates live, TimeProvider clock) : IAsyncDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);

    // A drain deciding a thousand applications a second sends a batch every 40 ms: read at most this often for them.
    private static readonly TimeSpan LiveReadGap = TimeSpan.FromMilliseconds(500);
    private const int QueueSamplesKept = 90;

    private readonly CancellationTokenSource stop = new();
    private readonly List<QueueSample> queueSamples = [];
    private IAsyncDisposable? listening;
    private Func<Func<Task>, Task> dispatch = work => work();

    public QueueState Queue { get; private set; } = new(0, 0, null);

    public LatencySummary Latency { get; private set; } = new(null, null, 0);

    public IReadOnlyList<DecisionBucket> Decisions { get; private set; } = [];

    /// <summary>Applicants' requests for a human review still waiting for an outcome.</summary>
    public OpenReviewRequests ReviewRequests { get; private set; } = new(0, null);

    public IReadOnlyList<QueueSample> QueueSamples => queueSamples;

    public IReadOnlyList<DeadLetterView> DeadLetters { get; private set; } = [];

    public IReadOnlyList<WebhookFailureView> WebhookFailures { get; private set; } = [];

    /// <summary>When the figures were last read (components that read live state themselves re-render on it).</summary>
    public DateTimeOffset ReadAt { get; private set; }

    /// <summary>Set when the database did not answer (the figures shown are the last known ones): a DeskText key the page says in its language.</summary>
    public string? Problem { get; private set; }

    public event Func<Task>? Changed;

    /// <summary>Reads once, then keeps reading; <paramref name="dispatch"/> runs the updates on the page's renderer.</summary>
    public async Task StartAsync(Func<Func<Task>, Task> dispatch)
    {
        this.dispatch = dispatch;
        await RefreshAsync();
        listening ??= live.Listen(_ => clock.GetUtcNow() - ReadAt < LiveReadGap ? Task.CompletedTask : RefreshAndTellAsync());
        _ = RefreshPeriodicallyAsync();
    }

    public async Task RefreshAsync()
    {
        try
        {
            Queue = await queries.QueueAsync(stop.Token);
            Latency = await queries.LatencyAsync(stop.Token);
            DeadLetters = await queries.OpenDeadLettersAsync(stop.Token);
            WebhookFailures = await queries.RecentWebhookFailuresAsync(stop.Token);
            Decisions = await queries.DecisionsPerMinuteAsync(stop.Token);
            ReviewRequests = await trail.OpenAsync(stop.Token);
            queueSamples.Add(new QueueSample(clock.GetUtcNow(), Queue.Due));
            if (queueSamples.Count > QueueSamplesKept)
            {
                queueSamples.RemoveAt(0);
            }
            Problem = null;
            ReadAt = clock.GetUtcNow();
        }
        catch (Npgsql.NpgsqlException)
        {
            Problem = "Ops.DatabaseDown";
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The screen went away mid-read.
        }
    }

    private Task RefreshAndTellAsync() => dispatch(async () =>
    {
        await RefreshAsync();
        if (Changed is { } changed)
        {
            await changed();
        }
    });

    private async Task RefreshPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(RefreshEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await RefreshAndTellAsync();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // The screen went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (listening is not null)
        {
            await listening.DisposeAsync();
        }
        stop.Dispose();
    }
}
