using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>
/// Application changes leave the node that committed them in batches, not as a NOTIFY inside each commit: two nodes on one
/// database (processing off, so every change is one the test made).
/// </summary>
public sealed class LiveEventsTests : QuietNode
{
    private PipelineHost other = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        other = await StartAnotherNodeAsync();
    }

    public override async Task DisposeAsync()
    {
        await other.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void A_large_batch_leaves_in_parts_under_the_NOTIFY_limit_that_read_back_to_every_change_in_order()
    {
        var changes = Enumerable.Range(0, 300).Select(i => new ApplicationChanged(
            Guid.NewGuid(), "BR", "APPROVED", "VALIDATING", DateTimeOffset.UtcNow.AddMilliseconds(i), RiskScore: i % 100, AssignedTo: "officer@creditdesk.test")).ToList();

        var parts = LiveEvents.Payloads("node-a", outbox: true, changes);

        Assert.True(parts.Count > 1);
        Assert.All(parts, part => Assert.True(System.Text.Encoding.UTF8.GetByteCount(part) < 8_000));
        var read = parts.Select(part => System.Text.Json.JsonSerializer.Deserialize<LiveBatch>(part, CreditDesk.Infrastructure.Persistence.Json.Options)!).ToList();
        Assert.All(read, batch => Assert.Equal(("node-a", true), (batch.Node, batch.Outbox)));
        Assert.Equal(changes, read.SelectMany(batch => batch.Events));
    }

    [Fact]
    public async Task A_submission_shows_on_its_own_node_before_the_call_returns_and_on_the_other_once_without_an_echo()
    {
        using var onA = Node.Get<ApplicationEventHub>().Subscribe();
        using var onB = other.Get<ApplicationEventHub>().Subscribe();

        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());

        Assert.True(onA.Reader.TryRead(out var local));
        Assert.Equal((id, "PENDING", (string?)null, "CO"), (local.Id, local.Status, local.PreviousStatus, local.Country));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var remote = await onB.Reader.ReadAsync(timeout.Token);
        Assert.Equal(local, remote);
        // The batch comes back to the node that sent it too; it knows its own and shows nothing twice.
        await Task.Delay(300);
        Assert.False(onA.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_status_move_reaches_the_other_node_with_where_it_came_from()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        await Database.ExecuteAsync($"UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{id}'");
        using var onB = other.Get<ApplicationEventHub>().Subscribe();

        var result = await Node.Get<StatusChanges>().ChangeAsync(id, CreditDesk.Domain.Applications.ApplicationStatus.Approved,
            CreditDesk.Domain.Applications.Actor.Admin, "admin@test", "Checked by hand", CancellationToken.None);

        Assert.IsType<StatusChangeResult.Changed>(result);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var change = await onB.Reader.ReadAsync(timeout.Token);
        // The submission's own batch may still be on its way when B subscribes: it arrives first, as PENDING.
        if (change.Status == "PENDING")
        {
            change = await onB.Reader.ReadAsync(timeout.Token);
        }
        Assert.Equal((id, "APPROVED", "UNDER_REVIEW"), (change.Id, change.Status, change.PreviousStatus));
    }

    [Fact]
    public async Task Five_hundred_submissions_leave_in_a_few_notifying_statements_and_every_one_arrives()
    {
        const int count = 500;
        var live = Node.Get<LiveEvents>();
        var before = live.Statements;
        var received = new HashSet<Guid>();
        using var onB = other.Get<ApplicationEventHub>().Subscribe();
        var submission = Node.Get<ApplicationSubmission>();

        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (_, _) => ids.Add(await submission.SubmitAsync(ApplicationTestData.Colombian())));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < count)
        {
            received.Add((await onB.Reader.ReadAsync(timeout.Token)).Id);
        }

        Assert.True(received.SetEquals(ids));
        var statements = live.Statements - before;
        Assert.True(statements <= count / 4, $"{count} commits took {statements} notifying statements");
        // And no commit notifies by itself any more: the triggers that did are gone.
        Assert.Equal(0L, await Database.ScalarAsync<long>("""
            SELECT count(*) FROM pg_trigger WHERE tgname IN
              ('trg_application_outbox_notify', 'trg_credit_applications_insert_notify', 'trg_credit_applications_status_notify')
            """));
    }

    [Fact]
    public async Task A_node_gone_between_its_commit_and_its_batch_is_caught_up_by_the_others_within_2_seconds()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        using var onB = other.Get<ApplicationEventHub>().Subscribe();
        // A node (as every node's connections are named) commits a move and is gone before publishing it.
        var ghostNode = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { ApplicationName = NodeIdentity.ConnectionPrefix + "ghost/killed", Pooling = false };
        await using (var connection = new NpgsqlConnection(ghostNode.ConnectionString))
        {
            await connection.OpenAsync();
            await Task.Delay(TimeSpan.FromSeconds(1.2)); // seen alive by the others' peer check
            await using var move = new NpgsqlCommand($"UPDATE credit_applications SET status = 'VALIDATING', updated_at = now() WHERE id = '{id}'", connection);
            await move.ExecuteNonQueryAsync();
        }
        var gone = DateTime.UtcNow;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        ApplicationChanged change;
        do
        {
            change = await onB.Reader.ReadAsync(timeout.Token);
        }
        while (change.Id != id || change.Status != "VALIDATING");
        Assert.True(DateTime.UtcNow - gone < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_node_whose_listening_connection_was_cut_reads_what_the_others_published_meanwhile()
    {
        var listener = other.Get<PostgresNotificationListener>();
        using var onB = other.Get<ApplicationEventHub>().Subscribe();
        Assert.True(await Database.ScalarAsync<bool>($"SELECT pg_terminate_backend({listener.BackendProcessId})"));

        // Sent while B is not listening: B hears it only by reading it again when it reconnects.
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while ((await onB.Reader.ReadAsync(timeout.Token)).Id != id)
        {
        }
    }
}
