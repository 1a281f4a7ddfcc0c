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
}
