using System.Diagnostics;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Web.Components.Live;

namespace CreditDesk.Tests.Components;

public sealed class LiveFeedTests
{
    private static ApplicationChanged Change() => new(Guid.NewGuid(), "CO", "APPROVED", "VALIDATING", DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_event_after_a_quiet_spell_is_handed_over_without_waiting_out_a_window()
    {
        var hub = new ApplicationEventHub();
        var handed = System.Threading.Channels.Channel.CreateUnbounded<long>();
        await using var feed = new LiveFeed(hub, batch =>
        {
            handed.Writer.TryWrite(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        });

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(LiveFeed.CoalesceWindow * 2);
            var sent = Stopwatch.GetTimestamp();
            hub.Publish(Change());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            delays.Add(Stopwatch.GetElapsedTime(sent, await handed.Reader.ReadAsync(timeout.Token)));
        }

        // A window is 40 ms; isolated events used to wait all of it. Four of five well under it leaves room for a slow machine.
        Assert.True(delays.Count(delay => delay < LiveFeed.CoalesceWindow) >= 4, string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:0} ms")));
    }

    [Fact]
    public async Task A_burst_is_handed_over_in_at_most_one_batch_per_window()
    {
        var hub = new ApplicationEventHub();
        var batches = 0;
        var events = 0;
        await using var feed = new LiveFeed(hub, batch =>
        {
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref events, batch.Count);
            return Task.CompletedTask;
        });

        var started = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            hub.Publish(Change());
            if (i % 10 == 9)
            {
                await Task.Delay(10);
            }
        }
        var burst = started.Elapsed;
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (Volatile.Read(ref events) < 200 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(200, events);
        var allowed = (int)(burst / LiveFeed.CoalesceWindow) + 2;
        Assert.True(batches <= allowed, $"{batches} batches for a {burst.TotalMilliseconds:0} ms burst (at most {allowed})");
    }
}
