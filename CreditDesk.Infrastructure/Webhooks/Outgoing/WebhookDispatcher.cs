using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Infrastructure.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditDesk.Infrastructure.Webhooks.Outgoing;

/// <summary>
/// Delivers pending webhook messages from every node. A claim locks the endpoints it takes work for (<c>FOR NO KEY
/// UPDATE SKIP LOCKED</c>), so per endpoint only one node claims at a time and never more than its
/// <c>max_concurrency</c> deliveries are in flight cluster-wide; a delivery is taken only when no earlier one for the same
/// application and endpoint is still pending (one application's events arrive in order). A claim is a lease longer than
/// an attempt's timeout: a node killed mid-delivery loses it to another node, and no two attempts of a delivery overlap.
/// Failures are retried with exponential backoff and jitter until the retry window closes.
/// Woken by any application change seen on this node (its own or another node's), otherwise every poll interval.
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    private static readonly TimeSpan IdleGap = TimeSpan.FromMilliseconds(25);
    private readonly NpgsqlDataSource dataSource;
    private readonly PiiCipher cipher;
    private readonly ApplicationEventHub hub;
    private readonly SchemaReadiness schema;
    private readonly NodeIdentity node;
    private readonly OutgoingWebhookOptions settings;
    private readonly ILogger<WebhookDispatcher> logger;
    private readonly HttpClient client;
    private readonly SemaphoreSlim slots;
    private readonly SemaphoreSlim wake = new(0, 1);

    public WebhookDispatcher(NpgsqlDataSource dataSource, PiiCipher cipher, ApplicationEventHub hub, SchemaReadiness schema, NodeIdentity node,
        WebhookTargets targets, IOptions<OutgoingWebhookOptions> options, ILogger<WebhookDispatcher> logger)
    {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.hub = hub;
        this.schema = schema;
        this.node = node;
        settings = options.Value;
        this.logger = logger;
        slots = new SemaphoreSlim(settings.NodeConcurrency, settings.NodeConcurrency);
        // One long-lived client: pooled connections per endpoint, no redirects (a 3xx is a failure), no cookies, and a
        // connect that refuses private addresses outside Development.
        client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = settings.Timeout,
            ConnectCallback = targets.ConnectAsync,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("CreditDesk-Webhooks/1.0");
    }

    /// <summary>Look for due deliveries now (new messages, a re-delivery).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another signal got there first: one wake is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled)
        {
            return;
        }
        await schema.WhenReady.WaitAsync(stoppingToken);
        using var changes = hub.Subscribe();
        // Any change of an application, on this node or another, may have written messages: look now.
        var listening = Task.Run(async () =>
        {
            while (await changes.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (changes.Reader.TryRead(out _))
                {
                }
                Wake();
            }
        }, CancellationToken.None);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var room = slots.CurrentCount;
                if (room > 0)
                {
                    foreach (var delivery in await ClaimAsync(room, stoppingToken))
                    {
                        await slots.WaitAsync(stoppingToken);
                        claimed++;
                        running.Add(DeliverAndReleaseAsync(delivery, stoppingToken));
                    }
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Never let the loop end (a BackgroundService that throws stops the host): say so, wait, look again.
                LogClaimFailed(logger, exception);
                await Task.Delay(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            running.RemoveAll(task => task.IsCompleted);
            if (claimed > 0 && slots.CurrentCount > 0)
            {
                continue;
            }
            try
            {
                // An empty look waits a moment even when woken: a burst of changes costs a few claims, not one each.
                await Task.Delay(IdleGap, stoppingToken);
                await wake.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Attempts in flight are cancelled with the host and give their claims back (see DeliverAsync).
        await Task.WhenAll(running);
        changes.Dispose();
        await listening;
    }

    private async Task DeliverAndReleaseAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAsync(delivery, stoppingToken);
        }
        catch (Exception exception)
        {
            // The outcome could not be written: the lease runs out and the delivery is tried again (at least once).
            LogRecordFailed(logger, delivery.Id, exception);
        }
        finally
        {
            slots.Release();
            Wake();
        }
    }

    private sealed record ClaimedDelivery(
        long Id, Guid EndpointId, int Attempt, bool Manual, string MessageId, string Body, string Url, IReadOnlyList<byte[]> Keys);

    private async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int capacity, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH ep AS (
                SELECT e.id, e.max_concurrency - (SELECT count(*) FROM webhook_deliveries f
                                                   WHERE f.endpoint_id = e.id AND f.state = 'pending' AND f.claimed_until > now()) AS room
                  FROM webhook_endpoints e
                 WHERE e.disabled_at IS NULL
                   AND EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND d.state = 'pending' AND d.next_attempt_at <= now())
                   FOR NO KEY UPDATE OF e SKIP LOCKED),
            picked AS (
                SELECT p.id FROM ep CROSS JOIN LATERAL (
                    SELECT d.id FROM webhook_deliveries d
                     WHERE d.endpoint_id = ep.id AND d.state = 'pending' AND d.next_attempt_at <= now()
                       AND (d.claimed_until IS NULL OR d.claimed_until < now())
                       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries b
                                        WHERE b.endpoint_id = d.endpoint_id AND b.application_id = d.application_id AND b.state = 'pending' AND b.id < d.id)
                     ORDER BY d.id
                     LIMIT greatest(ep.room, 0)) p
                 LIMIT @capacity),
            claimed AS (
                UPDATE webhook_deliveries d SET claimed_by = @node, claimed_until = now() + @lease, attempts = d.attempts + 1
                  FROM picked
                 WHERE d.id = picked.id AND d.state = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until < now())
                RETURNING d.id, d.endpoint_id, d.message_id, d.attempts, d.manual)
            SELECT c.id, c.endpoint_id, c.attempts, c.manual, m.message_id, m.payload::text, e.url, e.pii_key_id, e.secret_cipher,
                   CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret_cipher END
              FROM claimed c JOIN webhook_messages m ON m.id = c.message_id JOIN webhook_endpoints e ON e.id = c.endpoint_id
             ORDER BY c.id
            """);
        command.Parameters.AddWithValue("capacity", capacity);
        command.Parameters.AddWithValue("node", node.Id);
        command.Parameters.AddWithValue("lease", settings.Lease);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<ClaimedDelivery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var keyId = reader.GetString(7);
            var keys = new List<byte[]> { StandardWebhooks.Key(cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(8))) };
            if (!reader.IsDBNull(9))
            {
                keys.Add(StandardWebhooks.Key(cipher.Decrypt(keyId, reader.GetFieldValue<byte[]>(9))));
            }
            claimed.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetBoolean(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), keys));
        }
        return claimed;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        attempt.CancelAfter(settings.Timeout);
        var watch = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null;
        try
        {
            var body = Encoding.UTF8.GetBytes(delivery.Body);
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(StandardWebhooks.IdHeader, delivery.MessageId);
            request.Headers.TryAddWithoutValidation(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(StandardWebhooks.SignatureHeader, StandardWebhooks.Signature(delivery.Keys, delivery.MessageId, timestamp, body));
            if (settings.RequirePublicHttps && request.RequestUri!.Scheme != Uri.UriSchemeHttps)
            {
                throw new HttpRequestException("The URL must use https.");
            }
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            statusCode = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {statusCode}";
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: hand the delivery back at once rather than when its lease runs out. No attempt is logged.
            await ReleaseAsync(delivery);
            return;
        }
        catch (OperationCanceledException)
        {
            error = $"timed out after {settings.Timeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException exception)
        {
            error = Truncate(exception.HttpRequestError == HttpRequestError.Unknown ? exception.Message : $"{exception.HttpRequestError}: {exception.Message}");
        }
        catch (Exception exception) when (exception is UriFormatException or InvalidOperationException or ArgumentException)
        {
            // A URL that cannot be requested (changed by hand in the database): an attempt that failed, retried like any other.
            error = Truncate($"{exception.GetType().Name}: {exception.Message}");
        }
        var latency = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
        if (error is null)
        {
            await RecordAsync(delivery, statusCode, latency, null, TimeSpan.Zero);
        }
        else
        {
            LogAttemptFailed(logger, delivery.Id, delivery.EndpointId, delivery.Attempt, error);
            await RecordAsync(delivery, statusCode, latency, error, RetryDelay(delivery.Attempt));
        }
    }

    /// <summary>Exponential from the base delay, capped, with equal jitter (half fixed, half random) so retries spread out.</summary>
    private TimeSpan RetryDelay(int attempt)
    {
        var exponential = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, settings.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <summary>Writes an attempt's outcome, even while the node stops (the attempt happened).</summary>
    private async Task RecordAsync(ClaimedDelivery delivery, int? statusCode, int latency, string? error, TimeSpan retryDelay)
    {
        await using var command = dataSource.CreateCommand("""
            WITH done AS (
                UPDATE webhook_deliveries d
                   SET state = CASE WHEN @error::text IS NULL THEN 'delivered'
                                    WHEN now() + @delay >= d.retry_from + @window THEN 'failed' ELSE 'pending' END,
                       delivered_at = CASE WHEN @error::text IS NULL THEN now() END,
                       next_attempt_at = now() + @delay, claimed_by = NULL, claimed_until = NULL, manual = false,
                       last_status_code = @status, last_latency_ms = @latency, last_error = @error, last_attempt_at = now()
                 WHERE d.id = @id AND d.claimed_by = @node AND d.attempts = @attempt
                RETURNING d.id, d.endpoint_id),
            logged AS (
                INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempted_at, status_code, latency_ms, error, node, manual)
                SELECT id, endpoint_id, now(), @status, @latency, @error, @node, @manual FROM done)
            UPDATE webhook_endpoints e
               SET failing_since = CASE WHEN @error::text IS NULL THEN NULL ELSE coalesce(e.failing_since, now()) END,
                   disabled_at = CASE WHEN @error::text IS NOT NULL AND e.disabled_at IS NULL AND e.failing_since <= now() - @disable_after
                                      THEN now() ELSE e.disabled_at END,
                   disabled_reason = CASE WHEN @error::text IS NOT NULL AND e.disabled_at IS NULL AND e.failing_since <= now() - @disable_after
                                          THEN 'failing' ELSE e.disabled_reason END
              FROM done WHERE e.id = done.endpoint_id
            """);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("node", node.Id);
        command.Parameters.AddWithValue("attempt", delivery.Attempt);
        command.Parameters.AddWithValue("manual", delivery.Manual);
        command.Parameters.AddWithValue("status", NpgsqlTypes.NpgsqlDbType.Integer, (object?)statusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("latency", latency);
        command.Parameters.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("delay", retryDelay);
        command.Parameters.AddWithValue("window", settings.RetryWindow);
        command.Parameters.AddWithValue("disable_after", settings.DisableAfter);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task ReleaseAsync(ClaimedDelivery delivery)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1 WHERE id = @id AND claimed_by = @node AND attempts = @attempt");
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("node", node.Id);
        command.Parameters.AddWithValue("attempt", delivery.Attempt);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    public override void Dispose()
    {
        client.Dispose();
        slots.Dispose();
        wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for due webhook deliveries failed; trying again shortly")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the outcome of webhook delivery {DeliveryId}; its lease will run out and it is tried again")]
    private static partial void LogRecordFailed(ILogger logger, long deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed on attempt {Attempt}: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, long deliveryId, Guid endpointId, int attempt, string error);
}
