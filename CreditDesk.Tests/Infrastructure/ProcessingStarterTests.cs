using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Tests.Support;
using Quartz;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>What the scheduler's starter guarantees (and AddQuartzHostedService would not): a node starts before its database exists, migrates when it appears, only then schedules; and no scheduler outlives the host.</summary>
public sealed class ProcessingStarterTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_node_started_before_its_database_exists_migrates_when_it_appears_then_decides_and_its_scheduler_stops_with_it()
    {
        // The database does not exist yet: the node must start anyway, with no scheduler.
        var node = await PipelineHost.StartAsync(database.ConnectionString, waitForSchema: false);
        try
        {
            Assert.Empty(await node.Get<ISchedulerFactory>().GetAllSchedulers());
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Empty(await node.Get<ISchedulerFactory>().GetAllSchedulers());

            await database.InitializeAsync();
            await node.Get<SchemaReadiness>().WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
            var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
            await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(30), 1);

            Assert.NotEqual("PENDING", await database.StatusAsync(id));
            Assert.Single(await node.Get<ISchedulerFactory>().GetAllSchedulers());
        }
        finally
        {
            var schedulers = node.Get<ISchedulerFactory>();
            var running = await schedulers.GetAllSchedulers();
            await node.DisposeAsync();
            Assert.All(running, scheduler => Assert.Equal(SchedulerStatus.Shutdown, scheduler.Status));
        }
    }

    [Fact]
    public async Task Two_nodes_started_together_on_a_backlog_both_drain_it()
    {
        await database.InitializeAsync();
        await using (var intake = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" }))
        {
            var submission = intake.Get<ApplicationSubmission>();
            for (var i = 0; i < 240; i++)
            {
                await submission.SubmitAsync(ApplicationTestData.Colombian());
            }
        }
        // Slow enough that neither node can finish the backlog before the other is up (≈ 3 s for one node alone), and
        // no sweep after the first: each node is woken by its own start, on itself.
        var settings = new Dictionary<string, string?>
        {
            ["Processing:MaxConcurrency"] = "4",
            ["Processing:BatchSize"] = "8",
            ["Processing:SweepInterval"] = "00:10:00",
            ["Bureaus:Faults:CO:Latency"] = "00:00:00.050",
        };
        var nodes = await Task.WhenAll(PipelineHost.StartAsync(database.ConnectionString, settings), PipelineHost.StartAsync(database.ConnectionString, settings));
        try
        {
            await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(60), 240);

            var deciders = await database.ListAsync("SELECT actor_id, count(*) FROM decisions GROUP BY actor_id", r => (Node: r.GetString(0), Decided: r.GetInt64(1)));
            Assert.All(nodes, node => Assert.Contains(deciders, d => d.Node == node.Get<NodeIdentity>().Id && d.Decided > 0));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
