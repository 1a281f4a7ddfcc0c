using System.Collections.Frozen;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Registry;
using Polly.Telemetry;
using Polly.Retry;
using Polly.Timeout;

namespace CreditDesk.Infrastructure.Bureaus;

/// <summary>
/// Calls each country's bureau through its own pipeline from Polly's registry (keyed by country code, built once by
/// <see cref="Configure"/>): a timeout per attempt, retries with jittered exponential backoff, a circuit breaker, and a
/// fallback to conservative data (flagged, so the decision goes to review). One pipeline per country, so one failing
/// bureau never opens another's circuit; the registry adds Polly's own metrics (meter "Polly") and event logs.
/// </summary>
public sealed class ResilientBureau(ICreditBureau bureau, ResiliencePipelineProvider<string> registry, BureauCircuits circuits, TimeProvider clock)
{
    // Built once, here, before any call: the registry builds lazily and, when two first calls race, may run a country's
    // configure callback twice — which its breaker's state provider refuses ("already initialized"), failing that call.
    private readonly FrozenDictionary<string, ResiliencePipeline<BureauReport>> pipelines =
        CountryRegistry.All.ToFrozenDictionary(policy => policy.Code, policy => registry.GetPipeline<BureauReport>(policy.Code), StringComparer.OrdinalIgnoreCase);

    public async Task<BureauReport> GetReportAsync(ICountryPolicy policy, string normalizedDocument, CancellationToken cancellationToken)
    {
        var pipeline = pipelines[policy.Code];
        using var activity = CreditDeskTelemetry.Source.StartActivity("bureau.call", ActivityKind.Client);
        activity?.SetTag("creditdesk.country", policy.Code);
        activity?.SetTag("creditdesk.bureau", policy.BureauName);
        var attempts = new StrongBox<int>();
        var report = await pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                state.attempts.Value++;
                return await state.bureau.GetReportAsync(state.policy.Code, state.normalizedDocument, token);
            },
            (bureau, policy, normalizedDocument, attempts),
            cancellationToken);
        activity?.SetTag("creditdesk.attempts", attempts.Value);
        activity?.SetTag("creditdesk.circuit", CircuitState(policy).ToString());
        activity?.SetTag("creditdesk.fallback", report.IsFallback);
        CreditDeskTelemetry.BureauCalls.Add(1,
            new KeyValuePair<string, object?>("country", policy.Code), new KeyValuePair<string, object?>("outcome", report.IsFallback ? "fallback" : "ok"));
        return report with { PulledAt = clock.GetUtcNow() };
    }

    public CircuitState CircuitState(ICountryPolicy policy) => circuits.For(policy).State.CircuitState;

    /// <summary>Closes the circuit by hand (admins, after fixing the cause).</summary>
    public Task ResetCircuitAsync(ICountryPolicy policy) => circuits.For(policy).Control.CloseAsync();

    /// <summary>Registers one pipeline per country in Polly's registry.</summary>
    public static IServiceCollection AddBureauPipelines(IServiceCollection services)
    {
        services.AddSingleton<BureauCircuits>();
        // Polly logs each retry, fallback and breaker event with its result: say what kind it was, never the report's figures.
        services.Configure<TelemetryOptions>(options => options.ResultFormatter = static (_, result) =>
            result is BureauReport report ? (report.IsFallback ? "fallback report" : "report") : result);
        foreach (var policy in CountryRegistry.All)
        {
            services.AddResiliencePipeline<string, BureauReport>(policy.Code, (builder, context) => Configure(builder, policy,
                context.ServiceProvider.GetRequiredService<IOptions<BureauResilienceOptions>>().Value,
                context.ServiceProvider.GetRequiredService<BureauCircuits>().For(policy)));
        }
        return services;
    }

    private static void Configure(ResiliencePipelineBuilder<BureauReport> builder, ICountryPolicy policy, BureauResilienceOptions settings, BureauCircuits.Circuit circuit)
    {
        var transient = new PredicateBuilder<BureauReport>().Handle<BureauUnavailableException>().Handle<TimeoutRejectedException>();
        builder.AddFallback(new FallbackStrategyOptions<BureauReport>
        {
            ShouldHandle = new PredicateBuilder<BureauReport>()
                .Handle<BureauUnavailableException>()
                .Handle<TimeoutRejectedException>()
                .Handle<BrokenCircuitException>(),
            FallbackAction = _ => Outcome.FromResultAsValueTask(BureauReport.Fallback(policy.BureauName)),
        });
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<BureauReport>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
            });
        }
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<BureauReport>
            {
                ShouldHandle = transient,
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = circuit.State,
                ManualControl = circuit.Control,
            })
            .AddTimeout(settings.AttemptTimeout);
    }
}

/// <summary>Each country's breaker handles: the registry's pipeline reports its state here, and /ops closes it by hand.</summary>
public sealed class BureauCircuits
{
    private readonly FrozenDictionary<string, Circuit> byCountry =
        CountryRegistry.All.ToFrozenDictionary(policy => policy.Code, _ => new Circuit(new CircuitBreakerStateProvider(), new CircuitBreakerManualControl()),
            StringComparer.OrdinalIgnoreCase);

    public Circuit For(ICountryPolicy policy) => byCountry[policy.Code];

    public sealed record Circuit(CircuitBreakerStateProvider State, CircuitBreakerManualControl Control);
}
