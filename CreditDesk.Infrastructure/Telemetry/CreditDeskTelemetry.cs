using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditDesk.Infrastructure.Telemetry;

/// <summary>
/// The <c>CreditDesk</c> ActivitySource and Meter. Spans follow one application from the HTTP submit through the outbox
/// (its trace context is stored with the row), the Quartz job and the bureau call. Tags never carry personal data.
/// </summary>
public static class CreditDeskTelemetry
{
    public const string Name = "CreditDesk";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ApplicationsCreated = Meter.CreateCounter<long>("creditdesk.applications.created", description: "Applications accepted, by country");
    public static readonly Counter<long> ApplicationsDecided = Meter.CreateCounter<long>("creditdesk.applications.decided", description: "Automatic decisions, by country and status");
    public static readonly Histogram<double> ProcessingDuration = Meter.CreateHistogram<double>("creditdesk.processing.duration", "ms", "Claim to decision, per application");
    public static readonly Histogram<int> DecisionBatchSize = Meter.CreateHistogram<int>("creditdesk.processing.decisions_per_commit", description: "Decisions committed together by the drain's group writer");
    public static readonly Histogram<int> WebhookBatchSize = Meter.CreateHistogram<int>("creditdesk.webhooks.events_per_commit", description: "Bank events committed together by the webhook group writer");
    public static readonly Counter<long> BureauCalls = Meter.CreateCounter<long>("creditdesk.bureau.calls", description: "Bureau calls by country and outcome (ok, fallback)");
    public static readonly Counter<long> WebhookOutcomes = Meter.CreateCounter<long>("creditdesk.webhooks", description: "Bank webhook deliveries by outcome");

    /// <summary>Continues the trace a submit started, from the W3C traceparent stored with the outbox row.</summary>
    public static Activity? StartFromStored(string name, string? traceParent, ActivityKind kind = ActivityKind.Consumer) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
}
