using System.Collections.Concurrent;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Domain.Countries;
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
public sealed class ResilientBureau(SimulatedCreditBureau bureau, IOptions<BureauResilienceOptions> options)
{
    private readonly ConcurrentDictionary<string, CountryPipeline> pipelines = new(StringComparer.OrdinalIgnoreCase);

    public async Task<BureauReport> GetReportAsync(ICountryPolicy policy, string normalizedDocument, CancellationToken cancellationToken)
    {
        var pipeline = PipelineFor(policy);
        return await pipeline.Pipeline.ExecuteAsync(
            static async (state, token) => await state.bureau.GetReportAsync(state.policy.Code, state.normalizedDocument, token),
            (bureau, policy, normalizedDocument),
            cancellationToken);
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

        var pipeline = new ResiliencePipelineBuilder<BureauReport> { Name = $"bureau-{policy.Code}" }
            .AddFallback(new FallbackStrategyOptions<BureauReport>
            {
                ShouldHandle = new PredicateBuilder<BureauReport>()
                    .Handle<BureauUnavailableException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<BrokenCircuitException>(),
                FallbackAction = _ => Outcome.FromResultAsValueTask(BureauReport.Fallback(policy.BureauName)),
            })
            .AddRetry(new RetryStrategyOptions<BureauReport>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
            })
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
