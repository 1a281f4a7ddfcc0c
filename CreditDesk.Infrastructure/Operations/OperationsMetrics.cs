using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Infrastructure.Telemetry;
using Microsoft.Extensions.Hosting;
using Polly.CircuitBreaker;

namespace CreditDesk.Infrastructure.Operations;

/// <summary>
/// Gauges on the <c>CreditDesk</c> meter that need sampling: queue depth and oldest pending age (read from the database
/// every few seconds, never inside a metrics callback), circuit state per country, live subscribers.
/// </summary>
public sealed class OperationsMetrics : BackgroundService
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private readonly OpsQueries queries;
    private readonly SchemaReadiness schema;
    private QueueState latest = new(0, 0, null);

    public OperationsMetrics(OpsQueries queries, SchemaReadiness schema, ResilientBureau bureau, ApplicationEventHub hub)
    {
        this.queries = queries;
        this.schema = schema;
        CreditDeskTelemetry.Meter.CreateObservableGauge("creditdesk.queue.depth", () => latest.Due, description: "Outbox rows due now");
        CreditDeskTelemetry.Meter.CreateObservableGauge("creditdesk.queue.oldest_pending_age", () => latest.OldestDueAge?.TotalSeconds ?? 0, "s",
            "How long the oldest due outbox row has waited");
        CreditDeskTelemetry.Meter.CreateObservableGauge("creditdesk.bureau.circuit_state", () => CountryRegistry.All.Select(policy =>
            new System.Diagnostics.Metrics.Measurement<int>(bureau.CircuitState(policy) switch
            {
                CircuitState.Closed => 0,
                CircuitState.HalfOpen => 1,
                _ => 2,
            }, new KeyValuePair<string, object?>("country", policy.Code))), description: "0 closed, 1 half-open, 2 open or isolated");
        CreditDeskTelemetry.Meter.CreateObservableGauge("creditdesk.live.subscribers", () => hub.SubscriberCount, description: "Open live subscriptions on this node");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenReady.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(SampleEvery);
        do
        {
            try
            {
                latest = await queries.QueueAsync(stoppingToken);
            }
            catch (Npgsql.NpgsqlException)
            {
                // The database is away; keep the last sample and try again.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
