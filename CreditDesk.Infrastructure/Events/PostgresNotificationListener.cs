using CreditDesk.Infrastructure.Persistence;
using System.Diagnostics;
using System.Text.Json;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Banks;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Events;

/// <summary>
/// One listening connection per node: other nodes' batches of application changes and outbox wake-ups
/// (<c>creditdesk_live</c>, see <see cref="LiveEvents"/>) and the staff-speed changes row triggers still announce —
/// notes, proposals, documents, assignments, review requests (<c>application_events</c>) — go to the local
/// <see cref="ApplicationEventHub"/>; other nodes' viewers (<c>creditdesk_presence</c>) go to the
/// <see cref="PresenceBoard"/>; a revoked API key or a changed bank key (<c>creditdesk_access</c>) empties the
/// <see cref="ApiKeyStore"/>'s and <see cref="BankPartners"/>' caches. On a lost connection it reconnects with backoff and re-reads what changed while it was away. Every
/// <see cref="LiveEventOptions.PeerCheckInterval"/> it looks at which nodes have connections: when one is gone (killed,
/// perhaps between a commit and its batch), it re-reads the recent changes, so no screen waits for a batch that will
/// never come.
/// </summary>
public sealed partial class PostgresNotificationListener(
    NpgsqlDataSource dataSource,
    ApplicationEventHub hub,
    LiveEvents live,
    ProcessingWakeup wakeup,
    PresenceBoard presence,
    ApiKeyStore apiKeys,
    BankPartners banks,
    NodeIdentity node,
    IOptions<LiveEventOptions> options,
    TimeProvider clock,
    ILogger<PostgresNotificationListener> logger) : BackgroundService
{
    public const string ApplicationChannel = "application_events";
    public const string AccessChannel = "creditdesk_access";
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(10);

    private HashSet<string>? peers;
    private long peerCheckedAt;

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The PostgreSQL backend of the listening connection (0 while there is none): what a test terminates to cut it.</summary>
    public int BackendProcessId { get; private set; }

    /// <summary>Completes once the first LISTEN is in place (tests wait for it before publishing).</summary>
    public Task Listening => listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        DateTimeOffset? lostAt = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                try
                {
                    connection.Notification += OnNotification;
                    await using (var listen = new NpgsqlCommand(
                        $"LISTEN {LiveEvents.Channel}; LISTEN {ApplicationChannel}; LISTEN {PresencePublisher.Channel}; LISTEN {AccessChannel};", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken);
                    }
                    BackendProcessId = connection.ProcessID;
                    listening.TrySetResult();
                    // Whatever the other nodes announced while this one was not listening is lost: ask them again, and
                    // forget cached API and bank keys (a revocation may have been missed).
                    presence.AskOthers();
                    apiKeys.ForgetCached();
                    banks.ForgetCached();
                    if (lostAt is { } since)
                    {
                        await ResynchroniseAsync(connection, since, stoppingToken);
                        lostAt = null;
                    }
                    backoff = TimeSpan.FromMilliseconds(200);
                    peers = null;
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(options.Value.PeerCheckInterval, stoppingToken);
                        if (Stopwatch.GetElapsedTime(peerCheckedAt) >= options.Value.PeerCheckInterval)
                        {
                            await CheckPeersAsync(connection, stoppingToken);
                        }
                    }
                }
                finally
                {
                    // Pooled connections are not reset: one must not go back still listening.
                    await SessionState.ClearAsync(connection, "UNLISTEN *");
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Replay from a little before the loss: duplicates are harmless, gaps are not.
                lostAt ??= clock.GetUtcNow() - options.Value.ReplayMargin;
                LogConnectionLost(logger, exception, backoff);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaximumBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// Which nodes have connections now; when one that had them has none, whatever it committed without publishing is
    /// read again (a node's listening connection lives as long as the node, so a node without connections is gone).
    /// </summary>
    private async Task CheckPeersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var checkedBefore = clock.GetUtcNow();
        peerCheckedAt = Stopwatch.GetTimestamp();
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT application_name FROM pg_stat_activity
             WHERE datname = current_database() AND application_name LIKE @prefix AND application_name <> @self
            """, connection);
        command.Parameters.AddWithValue("prefix", NodeIdentity.ConnectionPrefix + "%");
        command.Parameters.AddWithValue("self", node.ConnectionName);
        var now = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                now.Add(reader.GetString(0));
            }
        }
        var gone = peers?.Where(peer => !now.Contains(peer)).ToList() ?? [];
        peers = now;
        if (gone.Count > 0)
        {
            LogPeerGone(logger, gone);
            await ResynchroniseAsync(connection, checkedBefore - options.Value.ReplayMargin, cancellationToken);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel == AccessChannel)
        {
            // Each forgets only what changed: emptying the API keys' cache for a bank's key would cost every client a lookup.
            if (notification.Payload == BankPartners.AccessPayload)
            {
                banks.ForgetCached();
            }
            else
            {
                apiKeys.ForgetCached();
            }
            return;
        }
        try
        {
            if (notification.Channel == LiveEvents.Channel)
            {
                live.Receive(notification.Payload);
                return;
            }
            if (notification.Channel == PresencePublisher.Channel)
            {
                if (PresencePublisher.Deserialize(notification.Payload) is { } message)
                {
                    presence.Receive(message);
                }
                return;
            }
            if (JsonSerializer.Deserialize<ApplicationChanged>(notification.Payload, Persistence.Json.Options) is { } change)
            {
                hub.Publish(change);
            }
        }
        catch (JsonException exception)
        {
            LogBadPayload(logger, exception);
        }
    }

    /// <summary>Notifications sent while we were disconnected are lost: re-read the changes since then and wake the processor.</summary>
    private async Task ResynchroniseAsync(NpgsqlConnection connection, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, country, status, updated_at, risk_score, assigned_to FROM credit_applications WHERE updated_at >= @since ORDER BY updated_at", connection);
        command.Parameters.AddWithValue("since", since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hub.Publish(new ApplicationChanged(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), null, reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        wakeup.Signal();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nodes gone from the database: {Nodes}; reading their recent changes again")]
    private static partial void LogPeerGone(ILogger logger, IReadOnlyList<string> nodes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection; reconnecting in {Backoff}")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an application event that could not be read")]
    private static partial void LogBadPayload(ILogger logger, Exception exception);
}
