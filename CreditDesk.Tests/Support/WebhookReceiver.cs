using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CreditDesk.Tests.Support;

/// <summary>One request as the receiver saw it: Standard Webhooks headers, the raw body, when it came and when it was answered.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, DateTimeOffset At, TimeSpan Elapsed, int Status)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string Type => Json.GetProperty("type").GetString()!;

    public Guid ApplicationId => Json.GetProperty("data").GetProperty("application_id").GetGuid();
}

/// <summary>
/// A real HTTP receiver on a loopback port for outgoing-webhook tests. <see cref="Respond"/> decides each answer (it may
/// wait, to be slow or time out); every request is recorded, and overlapping requests for one <c>webhook-id</c> are counted.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private readonly ConcurrentDictionary<string, int> inFlight = new();
    private readonly ConcurrentDictionary<string, int> calls = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int overlaps;
    private int concurrent;
    private int maxConcurrent;

    /// <summary>The answer to a request, given its webhook-id and the how-many-th request for that id it is (1-based).</summary>
    public Func<string, int, CancellationToken, Task<int>> Respond { get; set; } = (_, _, _) => Task.FromResult(204);

    public int Port { get; } = TestEnvironment.FreeTcpPort();

    public string Url => $"http://127.0.0.1:{Port}/hooks";

    public IReadOnlyList<ReceivedWebhook> Received => received.ToArray();

    /// <summary>How often a request came while another for the same webhook-id was still being answered.</summary>
    public int Overlaps => Volatile.Read(ref overlaps);

    /// <summary>The most requests the receiver was answering at one time.</summary>
    public int MaxConcurrent => Volatile.Read(ref maxConcurrent);

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        app = builder.Build();
        app.MapPost("/hooks", async (HttpContext context) =>
        {
            var started = clock.Elapsed;
            var at = DateTimeOffset.UtcNow;
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var id = context.Request.Headers["webhook-id"].ToString();
            if (inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            var now = Interlocked.Increment(ref concurrent);
            for (var seen = maxConcurrent; now > seen; seen = maxConcurrent)
            {
                Interlocked.CompareExchange(ref maxConcurrent, now, seen);
            }
            var status = 0;
            try
            {
                status = await Respond(id, calls.AddOrUpdate(id, 1, (_, n) => n + 1), context.RequestAborted);
                return Results.StatusCode(status);
            }
            finally
            {
                Interlocked.Decrement(ref concurrent);
                inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
                received.Enqueue(new ReceivedWebhook(id, context.Request.Headers["webhook-timestamp"].ToString(),
                    context.Request.Headers["webhook-signature"].ToString(), body, at, clock.Elapsed - started, status));
            }
        });
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds over what was received, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var now = Received;
            if (condition(now))
            {
                return now;
            }
            if (deadline.Elapsed > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds:0.#} s for {what}; received {now.Count}: {string.Join(", ", now.Select(r => $"{r.Type}/{r.Status}"))}");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
