using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using Polly.CircuitBreaker;

namespace CreditDesk.Tests.Chaos;

[Trait("Category", "Chaos")]
public sealed class BureauChaosTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Bureau_timeouts_and_failures_open_the_circuit_fall_back_to_review_and_recover_without_losing_or_repeating_a_decision()
    {
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Bureaus:Resilience:AttemptTimeout"] = "00:00:00.150",
            ["Bureaus:Resilience:MaxRetryAttempts"] = "1",
            ["Bureaus:Resilience:MinimumThroughput"] = "20",
            ["Bureaus:Resilience:BreakDuration"] = "00:00:02",
        });
        var faults = node.Get<BureauFaultSettings>();
        var bureau = node.Get<ResilientBureau>();
        var submission = node.Get<ApplicationSubmission>();
        var colombia = CountryRegistry.Get("CO");
        var brazil = CountryRegistry.Get("BR");

        // Colombia's bureau hangs past the timeout (the circuit must open); Brazil's fails 20 % of calls (the retry must absorb
        // most of them: about 4 % of applications fail twice, far from opening its circuit); Spain's is healthy.
        faults.Set("CO", new BureauFaults(TimeSpan.FromMilliseconds(400), FailureRate: 0));
        faults.Set("BR", new BureauFaults(TimeSpan.Zero, FailureRate: 0.2));
        var circuitOpened = false;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                circuitOpened |= bureau.CircuitState(colombia) == CircuitState.Open;
                await Task.Delay(10);
            }
        });
        var chaos = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            chaos.Add(await submission.SubmitAsync(ApplicationTestData.Colombian()));
            chaos.Add(await submission.SubmitAsync(ApplicationTestData.Brazilian()));
            chaos.Add(await submission.SubmitAsync(ApplicationTestData.Spanish()));
        }
        var duringChaos = await PipelineIntegrity.WhenSettledAsync(database, TimeSpan.FromSeconds(60));
        await watching.CancelAsync();
        await watcher;
        var fallbacks = await FallbacksByCountryAsync();

        // Recovery: the faults stop; once the break is over, the first call is the half-open trial (Polly lets one through,
        // calls made meanwhile still get the fallback), it succeeds and closes the circuit; real reports come back.
        faults.Set("CO", BureauFaults.None);
        faults.Set("BR", BureauFaults.None);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var recovered = new List<Guid> { await submission.SubmitAsync(ApplicationTestData.Colombian()) };
        await PipelineIntegrity.WhenSettledAsync(database, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            recovered.Add(await submission.SubmitAsync(ApplicationTestData.Colombian()));
        }
        var final = await PipelineIntegrity.WhenSettledAsync(database, TimeSpan.FromSeconds(30));
        var recoveredFallbacks = await database.ScalarAsync<long>(
            $"SELECT count(*) FROM credit_applications WHERE id IN ({string.Join(", ", recovered.Select(id => $"'{id}'"))}) AND (bureau_report->>'is_fallback')::boolean");

        ChaosReport.Verdict("bureau chaos",
            duringChaos.IsClean(90) && final.IsClean(101) && circuitOpened && fallbacks.GetValueOrDefault("CO") == 30
                && fallbacks.GetValueOrDefault("BR") <= 10 && fallbacks.GetValueOrDefault("ES") == 0
                && recoveredFallbacks == 0 && bureau.CircuitState(colombia) == CircuitState.Closed && bureau.CircuitState(brazil) == CircuitState.Closed,
            $"90 applications under faults (CO timeouts, BR 20 % failures, ES healthy): CO circuit opened {circuitOpened}; fallback reports "
            + $"CO {fallbacks.GetValueOrDefault("CO")}/30, BR {fallbacks.GetValueOrDefault("BR")}/30, ES {fallbacks.GetValueOrDefault("ES")}/30; "
            + $"after recovery a trial then 10 CO: {recoveredFallbacks} fallbacks, circuit {bureau.CircuitState(colombia)}, BR circuit {bureau.CircuitState(brazil)}; {final}");
    }

    private async Task<Dictionary<string, long>> FallbacksByCountryAsync() =>
        (await database.ListAsync(
            "SELECT country, count(*) FILTER (WHERE (bureau_report->>'is_fallback')::boolean) FROM credit_applications GROUP BY country",
            r => (r.GetString(0), r.GetInt64(1)))).ToDictionary(p => p.Item1, p => p.Item2);
}
