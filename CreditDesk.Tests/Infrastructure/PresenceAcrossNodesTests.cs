using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>Presence between two nodes on one database, over NOTIFY alone, and what it costs the database.</summary>
public sealed class PresenceAcrossNodesTests : QuietNode
{
    private static readonly TimeSpan AppearWithin = TimeSpan.FromSeconds(2);

    private static Viewer Officer(Guid application, string email) =>
        new(Guid.NewGuid(), application, "id-" + email, email, Roles.Officer, PresenceActivity.Viewing);

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var until = DateTime.UtcNow + within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Not within {within.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_viewer_on_one_node_appears_on_the_other_within_2_seconds_with_what_they_do_and_goes_when_they_leave()
    {
        await using var second = await StartAnotherNodeAsync();
        var application = Guid.NewGuid();
        var viewer = Officer(application, "ana@creditdesk.test");

        Node.Get<PresenceBoard>().Enter(viewer);
        await EventuallyAsync(() => second.Get<PresenceBoard>().ViewersOf(application).Count == 1, AppearWithin, "the viewer appears");

        Node.Get<PresenceBoard>().Enter(viewer with { Activity = PresenceActivity.ChangingStatus });
        await EventuallyAsync(() => second.Get<PresenceBoard>().ViewersOf(application) is [{ Activity: PresenceActivity.ChangingStatus }], AppearWithin,
            "the activity follows");

        Node.Get<PresenceBoard>().Leave(viewer.Session);
        await EventuallyAsync(() => second.Get<PresenceBoard>().ViewersOf(application).Count == 0, AppearWithin, "the viewer leaves");
    }

    [Fact]
    public async Task A_node_started_later_learns_the_viewers_already_open_without_waiting_for_a_heartbeat()
    {
        var application = Guid.NewGuid();
        Node.Get<PresenceBoard>().Enter(Officer(application, "ana@creditdesk.test"));
        // Let the first node's own announcement go by: only an answer to the newcomer's hello can reach it now.
        await Task.Delay(500);

        await using var second = await StartAnotherNodeAsync();

        await EventuallyAsync(() => second.Get<PresenceBoard>().ViewersOf(application).Count == 1, AppearWithin, "the newcomer hears of the viewer");
    }

    [Fact]
    public async Task A_node_that_falls_silent_without_a_goodbye_is_forgotten_within_15_seconds_and_not_before_its_heartbeats_are_missed()
    {
        var application = Guid.NewGuid();
        var killed = Guid.NewGuid();
        // What a node killed right after announcing leaves behind: one set, then silence.
        await using (var connection = new NpgsqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", PresencePublisher.Channel);
            notify.Parameters.AddWithValue("payload", PresencePublisher.Parts(killed, 1, [Officer(application, "ana@creditdesk.test")], hello: false).Single());
            await notify.ExecuteNonQueryAsync();
        }
        var heardAt = DateTime.UtcNow;
        var board = Node.Get<PresenceBoard>();
        await EventuallyAsync(() => board.ViewersOf(application).Count == 1, AppearWithin, "the viewer appears");

        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Single(board.ViewersOf(application));
        await EventuallyAsync(() => board.ViewersOf(application).Count == 0, TimeSpan.FromSeconds(15) - (DateTime.UtcNow - heardAt), "the silent node is forgotten");
    }

    [Fact]
    public async Task Two_hundred_open_details_with_officers_typing_cost_the_database_a_couple_of_notify_statements_a_second()
    {
        var board = Node.Get<PresenceBoard>();
        var viewers = Enumerable.Range(0, 200).Select(i => Officer(Guid.NewGuid(), $"officer{i}@creditdesk.test")).ToList();
        foreach (var viewer in viewers)
        {
            board.Enter(viewer);
        }
        // Everything the node sends on the presence channel, heard from outside it.
        var heard = new List<(Guid Node, long Sequence)>();
        await using var listener = new NpgsqlConnection(Database.ConnectionString);
        await listener.OpenAsync();
        listener.Notification += (_, notification) =>
        {
            var message = PresencePublisher.Deserialize(notification.Payload)!;
            lock (heard)
            {
                heard.Add((message.Node, message.Sequence));
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {PresencePublisher.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var window = TimeSpan.FromSeconds(10);
        using (var stop = new CancellationTokenSource(window))
        {
            var typing = Task.Run(async () =>
            {
                // Ten officers start and stop typing once a second each: bursts are announced together.
                while (!stop.IsCancellationRequested)
                {
                    foreach (var viewer in viewers.Take(10))
                    {
                        board.Enter(viewer with { Activity = PresenceActivity.WritingNote });
                    }
                    await Task.Delay(50);
                    foreach (var viewer in viewers.Take(10))
                    {
                        board.Enter(viewer);
                    }
                    await Task.Delay(950, CancellationToken.None);
                }
            });
            while (!stop.IsCancellationRequested)
            {
                await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
            }
            await typing;
        }

        int statements;
        lock (heard)
        {
            statements = heard.Where(message => message.Node == board.Node).Select(message => message.Sequence).Distinct().Count();
        }
        // Two changes a second (start, stop typing), debounced, plus nothing else: a heartbeat only when nothing changed for 5 s.
        Assert.InRange(statements, 1, 25);
        Assert.True(statements / window.TotalSeconds <= 2.5, $"{statements} statements in {window.TotalSeconds} s");
    }

    [Fact]
    public async Task Two_hundred_open_details_left_alone_cost_one_statement_every_five_seconds()
    {
        var board = Node.Get<PresenceBoard>();
        foreach (var index in Enumerable.Range(0, 200))
        {
            board.Enter(Officer(Guid.NewGuid(), $"officer{index}@creditdesk.test"));
        }
        await Task.Delay(PresencePublisher.Debounce * 5);
        var heard = new List<long>();
        await using var listener = new NpgsqlConnection(Database.ConnectionString);
        await listener.OpenAsync();
        listener.Notification += (_, notification) => heard.Add(PresencePublisher.Deserialize(notification.Payload)!.Sequence);
        await using (var listen = new NpgsqlCommand($"LISTEN {PresencePublisher.Channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var until = DateTime.UtcNow.AddSeconds(12);
        while (DateTime.UtcNow < until)
        {
            await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
        }

        // Heartbeats 5 s apart: two (or three at the window's edges) statements, each carrying all 200 in a few parts.
        Assert.InRange(heard.Distinct().Count(), 2, 3);
        Assert.True(heard.Count > heard.Distinct().Count(), "200 viewers need more than one NOTIFY part per statement");
    }
}
