using System.Diagnostics;
using CreditDesk.Infrastructure.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditDesk.Web;

/// <summary>OTLP export of traces and metrics when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and one log line per request.</summary>
public static partial class Observability
{
    public static WebApplicationBuilder AddCreditDeskTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        var resource = ResourceBuilder.CreateDefault().AddService("creditdesk", serviceInstanceId: builder.Configuration["Node:Id"] ?? Environment.MachineName);
        // Built here and owned by the container, so they are flushed and disposed when the host stops.
        builder.Services.AddSingleton(Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(CreditDeskTelemetry.Name, "Microsoft.AspNetCore", "Npgsql")
            .AddOtlpExporter()
            .Build());
        builder.Services.AddSingleton(Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(CreditDeskTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql")
            .AddOtlpExporter()
            .Build());
        return builder;
    }

    /// <summary>Method, route template (never the raw path or query), status and duration; framework plumbing at debug level.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("CreditDesk.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next();
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var plumbing = context.Request.Path.StartsWithSegments("/_blazor") || context.Request.Path.StartsWithSegments("/_framework")
                    || context.Request.Path.StartsWithSegments("/_content") || context.Request.Path.StartsWithSegments("/health");
                LogRequest(logger, plumbing ? LogLevel.Debug : LogLevel.Information, context.Request.Method, route, context.Response.StatusCode, elapsed);
            }
        });
    }

    [LoggerMessage(Message = "HTTP {Method} {Route} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, int statusCode, double elapsedMilliseconds);
}
