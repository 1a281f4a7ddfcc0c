using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Bureaus;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Infrastructure;

public sealed class ResilientBureauTests
{
    [Fact]
    public async Task Many_first_calls_at_once_on_a_fresh_node_all_get_a_report_and_share_each_countrys_breaker()
    {
        // A fresh node's drain asks for the first reports of a country many at a time; a lazily built pipeline could be
        // built twice then, and its breaker refused the second ("already initialized"). Repeated on fresh containers so
        // the first calls really overlap.
        for (var round = 0; round < 40; round++)
        {
            await using var provider = Container();
            var bureau = provider.GetRequiredService<ResilientBureau>();
            var spain = CountryRegistry.Get("ES");
            using var ready = new Barrier(8);
            var reports = new BureauReport?[8];
            var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                ready.SignalAndWait();
                try
                {
                    reports[i] = bureau.GetReportAsync(spain, $"{round:D4}{i:D4}", CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (InvalidOperationException exception)
                {
                    failures.Add(exception);
                }
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());

            Assert.Empty(failures);
            Assert.All(reports, report => Assert.False(report!.IsFallback));
            Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, bureau.CircuitState(spain));
        }
    }

    private static ServiceProvider Container()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new BureauFaultSettings());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICreditBureau, SimulatedCreditBureau>();
        services.Configure<BureauResilienceOptions>(_ => { });
        ResilientBureau.AddBureauPipelines(services);
        services.AddSingleton<ResilientBureau>();
        return services.BuildServiceProvider();
    }
}
