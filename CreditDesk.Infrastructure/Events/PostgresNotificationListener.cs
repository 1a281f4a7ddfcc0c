using System.Text.Json;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditDesk.Infrastructure.Events;

/// <summary>
/// One listening connection per node: application status changes (<c>application_events</c>) go to the local
/// <see cref="ApplicationEventHub"/>, outbox inserts (<c>creditdesk_outbox</c>) wake the local processor, other nodes'
/// viewers (<c>creditdesk_presence</c>) go to the <see cref="PresenceBoard"/>, a revoked API key (<c>creditdesk_access</c>)
/// empties the <see cref="ApiKeyStore"/>'s cache. On a lost
/// connection it reconnects with backoff and resynchronises by re-reading what changed while it was away.
/// </summary>
public sealed partial class PostgresNotificationListener(
    NpgsqlDataSource dataSource,
    ApplicationEventHub hub,
    ProcessingWakeup wakeup,
    PresenceBoard presence,
    ApiKeyStore apiKeys,
    ILogger<PostgresNotificationListener> logger) : BackgroundService
{
    public const string ApplicationChannel = "application_events";
    public const string OutboxChannel = "creditdesk_outbox";
    public const string AccessChannel = "creditdesk_access";
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {ApplicationChannel}; LISTEN {OutboxChannel}; LISTEN {PresencePublisher.Channel}; LISTEN {AccessChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                listening.TrySetResult();
                // Whatever the other nodes announced while this one was not listening is lost: ask them again, and
                // forget cached API keys (a revocation may have been missed).
                presence.AskOthers();
                apiKeys.ForgetCached();
                if (lostAt is { } since)
                {
                    await ResynchroniseAsync(connection, since, stoppingToken);
                    lostAt = null;
                }
                backoff = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Replay from a little before the loss: duplicates are harmless, gaps are not.
                lostAt ??= DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5);
                LogConnectionLost(logger, exception, backoff);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaximumBackoff.Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel == OutboxChannel)
        {
            wakeup.Signal();
            return;
        }
        if (notification.Channel == AccessChannel)
        {
            apiKeys.ForgetCached();
            return;
        }
        try
        {
            if (notification.Channel == PresencePublisher.Channel)
            {
                if (PresencePublisher.Deserialize(notification.Payload) is { } message)
                {
                    presence.Receive(message);
                }
                return;
            }
            if (JsonSerializer.Deserialize<ApplicationChanged>(notification.Payload, Json) is { } change)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection; reconnecting in {Backoff}")]
    private static partial void LogConnectionLost(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an application event that could not be read")]
    private static partial void LogBadPayload(ILogger logger, Exception exception);
}
