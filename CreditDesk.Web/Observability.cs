using System.Net;
using System.Reflection;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Infrastructure.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CreditDesk.Web;

/// <summary>
/// Logs through Serilog.AspNetCore (compact JSON on stdout, one line per request), metrics and traces through
/// OpenTelemetry.Extensions.Hosting: /metrics in Prometheus text for allowed networks, traces over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class Observability
{
    private static readonly string Version =
        typeof(Observability).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>The logger used before the host is built, so a failed start-up is logged as JSON too.</summary>
    public static Serilog.ILogger BootstrapLogger() => new LoggerConfiguration().WriteTo.Console(new RenderedCompactJsonFormatter()).CreateLogger();

    public static WebApplicationBuilder AddCreditDeskLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // preserveStaticLogger: hosts started side by side (tests, two nodes in one process) each get their own logger;
        // writeToProviders: providers registered by others (a test's capturing provider) still see every line.
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Node", services.GetRequiredService<NodeIdentity>().Id)
            .WriteTo.Console(new RenderedCompactJsonFormatter()), preserveStaticLogger: true, writeToProviders: true);
        return builder;
    }

    public static WebApplicationBuilder AddCreditDeskTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("creditdesk", serviceVersion: Version,
                serviceInstanceId: builder.Configuration["Node:Id"] ?? Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(CreditDeskTelemetry.Name)
                // Polly's registry: resilience.polly.strategy.events (retries, breaker opened/closed, fallbacks) and durations.
                .AddMeter("Polly")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());
        // Traces are recorded only when something receives them (an unsampled request costs nothing); metrics are pulled
        // from /metrics, so OTLP carries traces only.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(CreditDeskTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection("Metrics"));
        return builder;
    }

    /// <summary>One line per request: method, route template (never the raw query), status, elapsed, node; plumbing at debug.</summary>
    public static IApplicationBuilder UseCreditDeskRequestLogging(this IApplicationBuilder app) => app.UseSerilogRequestLogging(options =>
    {
        // This host's logger, not Serilog's static one (kept untouched so several hosts can share a process).
        options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
        options.MessageTemplate = "HTTP {RequestMethod} {RouteTemplate} responded {StatusCode} in {Elapsed:0.0} ms";
        options.EnrichDiagnosticContext = (diagnostics, context) =>
            diagnostics.Set("RouteTemplate", (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
        options.GetLevel = (context, _, exception) =>
            exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : IsPlumbing(context.Request.Path) ? LogEventLevel.Debug
            : LogEventLevel.Information;
    });

    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");

    /// <summary>/metrics in Prometheus text, without sign-in, for the networks in <c>Metrics:AllowedNetworks</c> only (default loopback).</summary>
    public static WebApplication MapCreditDeskMetrics(this WebApplication app)
    {
        var allowed = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.Networks();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/metrics"), metrics => metrics.Use(async (context, next) =>
        {
            if (context.Connection.RemoteIpAddress is not { } address || !allowed.Any(network => network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next();
        }));
        return app;
    }
}

/// <summary>Who may read /metrics: CIDR networks (default loopback, IPv4 and IPv6).</summary>
public sealed class MetricsOptions
{
    public List<string> AllowedNetworks { get; set; } = [];

    public IReadOnlyList<IPNetwork> Networks() =>
        (AllowedNetworks.Count > 0 ? AllowedNetworks : ["127.0.0.0/8", "::1/128"]).Select(network => IPNetwork.Parse(network)).ToList();
}
