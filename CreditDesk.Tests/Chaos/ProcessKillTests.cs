using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Chaos;

[Trait("Category", "ChaosSlow")]
public sealed class ProcessKillTests : IAsyncLifetime
{
    private const int Backlog = 3_000;
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_node_killed_with_SIGKILL_mid_drain_loses_nothing_and_a_restarted_node_decides_the_rest_exactly_once()
    {
        await ChaosData.SubmitBacklogAsync(database, Backlog);
        var settings = ChaosData.SlowBureau(latencyMilliseconds: 20);

        long decidedAtKill, inFlightAtKill;
        await using (var victim = AppProcess.Start(database.ConnectionString, "chaos-victim", settings))
        {
            // Kill while a batch is claimed and being decided: a quarter done and rows in VALIDATING.
            await ChaosData.WaitUntilAsync(async () => await ChaosData.DecidedAsync(database) >= Backlog / 4 && await InFlightAsync() >= 8,
                TimeSpan.FromSeconds(90), "a quarter decided with a batch in flight");
            await victim.KillAsync();
            decidedAtKill = await ChaosData.DecidedAsync(database);
            inFlightAtKill = await InFlightAsync();
        }

        await using var survivor = AppProcess.Start(database.ConnectionString, "chaos-survivor", settings);
        var final = await PipelineIntegrity.WhenSettledAsync(database, TimeSpan.FromSeconds(120));

        ChaosReport.Verdict("kill -9 mid-drain, then restart",
            final.IsClean(Backlog) && inFlightAtKill > 0,
            $"{Backlog} submitted; {decidedAtKill} decided and {inFlightAtKill} in flight (VALIDATING) at the kill; after restart: {final}");
    }

    private Task<long> InFlightAsync() =>
        database.ScalarAsync<long>("SELECT count(*) FROM credit_applications WHERE status = 'VALIDATING'");

}
