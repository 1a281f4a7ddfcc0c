using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;
using Polly.Timeout;

namespace CreditDesk.Infrastructure.Bureaus;

/// <summary>
/// Calls each country's bureau through its own Polly pipeline: a timeout per attempt, retries with jittered exponential
/// backoff, a circuit breaker, and a fallback to conservative data (flagged, so the decision goes to review).
/// One pipeline per country, so one failing bureau never opens another's circuit.
/// </summary>
public sealed class ResilientBureau(ICreditBureau bureau, IOptions<BureauResilienceOptions> options)
{
    private readonly ConcurrentDictionary<string, CountryPipeline> pipelines = new(StringComparer.OrdinalIgnoreCase);

    public async Task<BureauReport> GetReportAsync(ICountryPolicy policy, string normalizedDocument, CancellationToken cancellationToken)
    {
        var pipeline = PipelineFor(policy);
        using var activity = CreditDeskTelemetry.Source.StartActivity("bureau.call", ActivityKind.Client);
        activity?.SetTag("creditdesk.country", policy.Code);
        activity?.SetTag("creditdesk.bureau", policy.BureauName);
        var attempts = new StrongBox<int>();
        var report = await pipeline.Pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                state.attempts.Value++;
                return await state.bureau.GetReportAsync(state.policy.Code, state.normalizedDocument, token);
            },
            (bureau, policy, normalizedDocument, attempts),
            cancellationToken);
        activity?.SetTag("creditdesk.attempts", attempts.Value);
        activity?.SetTag("creditdesk.circuit", pipeline.State.CircuitState.ToString());
        activity?.SetTag("creditdesk.fallback", report.IsFallback);
        CreditDeskTelemetry.BureauCalls.Add(1,
            new KeyValuePair<string, object?>("country", policy.Code), new KeyValuePair<string, object?>("outcome", report.IsFallback ? "fallback" : "ok"));
        return report;
    }

    public CircuitState CircuitState(ICountryPolicy policy) => PipelineFor(policy).State.CircuitState;

    /// <summary>Closes the circuit by hand (admins, after fixing the cause).</summary>
    public Task ResetCircuitAsync(ICountryPolicy policy) => PipelineFor(policy).Control.CloseAsync();

    private CountryPipeline PipelineFor(ICountryPolicy policy) => pipelines.GetOrAdd(policy.Code, _ => Build(policy, options.Value));

    private static CountryPipeline Build(ICountryPolicy policy, BureauResilienceOptions settings)
    {
        var state = new CircuitBreakerStateProvider();
        var control = new CircuitBreakerManualControl();
        var transient = new PredicateBuilder<BureauReport>().Handle<BureauUnavailableException>().Handle<TimeoutRejectedException>();

        var builder = new ResiliencePipelineBuilder<BureauReport> { Name = $"bureau-{policy.Code}" }
            .AddFallback(new FallbackStrategyOptions<BureauReport>
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
        var pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<BureauReport>
            {
                ShouldHandle = transient,
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = state,
                ManualControl = control,
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
        return new CountryPipeline(pipeline, state, control);
    }

    private sealed record CountryPipeline(ResiliencePipeline<BureauReport> Pipeline, CircuitBreakerStateProvider State, CircuitBreakerManualControl Control);
}
