using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using CreditDesk.Infrastructure.Events;
using Npgsql;

namespace CreditDesk.Infrastructure.Presence;

/// <summary>
/// Announces this node's viewers to the others: its whole set in one statement (several NOTIFYs when it is large),
/// <see cref="Debounce"/> after a change and every <see cref="PresenceBoard.Heartbeat"/> while it has viewers, and a
/// goodbye when the node stops. An idle node sends nothing; 200 open details cost one statement every five seconds.
/// </summary>
public sealed partial class PresencePublisher(NpgsqlDataSource dataSource, PresenceBoard board, TimeProvider clock, ILogger<PresencePublisher> logger)
    : BackgroundService
{
    public const string Channel = "creditdesk_presence";

    /// <summary>Changes within this window leave in one announcement (a typing officer is one message, not one per key).</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);

    private long sequence;
    private bool announcedViewers;
    private DateTimeOffset lastAnnounced = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Wake for the sweep, or exactly when the heartbeat falls due (not up to a sweep later: others expire us at 12 s).
                var untilHeartbeat = announcedViewers ? lastAnnounced + PresenceBoard.Heartbeat - clock.GetUtcNow() : Sweep;
                var news = await board.WaitForNewsAsync(untilHeartbeat < TimeSpan.Zero ? TimeSpan.Zero : untilHeartbeat < Sweep ? untilHeartbeat : Sweep, stoppingToken);
                board.ForgetSilentNodes();
                if (news)
                {
                    await Task.Delay(Debounce, clock, stoppingToken);
                }
                var heartbeatDue = announcedViewers && clock.GetUtcNow() - lastAnnounced >= PresenceBoard.Heartbeat;
                if (news || heartbeatDue)
                {
                    await AnnounceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogAnnouncementFailed(logger, exception);
            }
        }
    }

    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        var (viewers, hello) = board.TakeAnnouncement();
        try
        {
            await NotifyAsync(Parts(board.Node, ++sequence, viewers, hello), cancellationToken);
        }
        catch
        {
            board.AnnouncementFailed(hello);
            throw;
        }
        announcedViewers = viewers.Count > 0;
        lastAnnounced = clock.GetUtcNow();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!announcedViewers)
        {
            return;
        }
        try
        {
            // Best effort: without it the others forget this node by its silence.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await NotifyAsync([Serialize(new PresenceMessage(board.Node, ++sequence, 0, 1, [], Bye: true))], timeout.Token);
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogAnnouncementFailed(logger, exception);
        }
    }

    private Task NotifyAsync(IReadOnlyList<string> payloads, CancellationToken cancellationToken) =>
        Notifications.SendAsync(dataSource, Channel, payloads, cancellationToken);

    /// <summary>A set as the NOTIFY payloads that carry it: as few parts as fit under the payload limit, at least one.</summary>
    public static IReadOnlyList<string> Parts(Guid node, long sequence, IReadOnlyList<Viewer> viewers, bool hello)
    {
        var groups = Notifications.Parts(viewers, viewer => Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(viewer)));
        return groups.Select((group, part) => Serialize(new PresenceMessage(node, sequence, part, groups.Count, [.. group], hello))).ToList();
    }

    public static string Serialize(PresenceMessage message) => JsonSerializer.Serialize(message);

    public static PresenceMessage? Deserialize(string payload) => JsonSerializer.Deserialize<PresenceMessage>(payload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce this node's viewers; trying again")]
    private static partial void LogAnnouncementFailed(ILogger logger, Exception exception);
}
