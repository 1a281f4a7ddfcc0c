using Scalar.AspNetCore;
using System.Text.Json;
using CreditDesk.Infrastructure;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Web.Api;
using CreditDesk.Web.Components;
using CreditDesk.Web.Localization;
using CreditDesk.Web.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using CreditDesk.Web.Components.Applications;
using CreditDesk.Web.Components.Live;
using CreditDesk.Web.Components.Ops;
using MudBlazor.Services;
using FluentValidation;

namespace CreditDesk.Web;

public static class Extensions
{
    public static WebApplicationBuilder AddCreditDeskWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddInfrastructure(configuration);
        services.AddHostedService<AccountBootstrap>();
        if (!builder.Environment.IsProduction())
        {
            // Outside Production a missing key is generated once under .data/ (git-ignored), never committed.
            var dataDirectory = configuration["CREDITDESK_DATA_DIR"] ?? Path.Combine(builder.Environment.ContentRootPath, "..", ".data");
            services.PostConfigure<PiiOptions>(options =>
            {
                if (options.Keys.Count == 0)
                {
                    options.DevelopmentKeyFile ??= Path.Combine(dataDirectory, "pii-keys.json");
                }
            });
            services.AddHostedService<SampleApplicationSeeder>();
        }

        // The framework's own answers (a challenge's 401, an unknown route's 404, a 405) carry a registered type too.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemsApi.Register);
        services.AddExceptionHandler<ClientErrorHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            // `{"status":"CANCELLED","status":"APPROVED"}` is malformed, not "the last one wins" (as JsonBody reads by hand).
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        // A body or parameter the framework cannot bind is thrown, so ClientErrorHandler answers it from ApiProblems.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddValidatorsFromAssemblyContaining<StatusChangeRequestValidator>(ServiceLifetime.Singleton);
        services.AddCreditDeskAuthentication(builder.Environment, configuration);
        services.AddScoped<CurrentCaller>();
        services.AddCreditDeskAuthorization();
        services.AddCreditDeskRateLimits(configuration);
        services.AddCreditDeskProxies(configuration);
        services.AddOpenApi(OpenApiContract.Describe);

        services.AddDeskCultures();
        services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(hub =>
        {
            // A tab that vanished without closing its socket is noticed within 12 s, so its presence on an application goes
            // with it (the default 30 s would keep it shown twice as long as promised). The client arms its next ping only
            // when it hears from the server, so the server pings every 5 s too (js/start.js sets the client's 5 s).
            hub.ClientTimeoutInterval = TimeSpan.FromSeconds(12);
            hub.KeepAliveInterval = TimeSpan.FromSeconds(5);
        });
        services.AddMudServices();
        services.AddTransient<MudBlazor.MudLocalizer, DeskMudLocalizer>();
        services.AddScoped<CircuitLiveUpdates>();
        services.AddScoped<CircuitPresence>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, PresenceCircuitHandler>();
        services.AddScoped<ApplicationsDesk>();
        services.AddScoped<OpsBoard>();
        return builder;
    }

    public static WebApplication MapCreditDesk(this WebApplication app)
    {
        // Fail at start-up, with the configuration key in the message, rather than on the first application.
        app.Services.GetRequiredService<PiiCipher>();

        // First: everything after it (logs, rate limits, cookies, HSTS) sees the client's address and scheme, not the proxy's.
        app.UseForwardedHeaders();
        // Every unhandled error becomes a problem+json 500 with a trace id: no stack trace, in any environment.
        app.UseCreditDeskRequestLogging();
        app.UseExceptionHandler();
        // Machines get problem+json for an empty error answer; a browser asking for a page gets a page of the desk.
        app.UseWhen(IsPageRequest, pages => pages.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));
        app.UseWhen(context => !IsPageRequest(context), machines => machines.UseStatusCodePages());
        app.UseSecurityHeaders();
        app.MapCreditDeskMetrics();
        // Health answers never depend on authentication: a request with a stale API key, or a database that is
        // down, must not turn "is the process alive" into an error.
        var node = app.Services.GetRequiredService<NodeIdentity>();
        app.UseHealthChecks("/health/live", HealthOptions(node, _ => false));
        app.UseHealthChecks("/health/ready", HealthOptions(node, check => check.Tags.Contains("ready")));
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        // Routing after the status-code pages, so a re-executed /status/404 is routed to its page.
        app.UseRouting();
        app.UseAuthentication();
        app.UseCrossSiteWriteProtection();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseRequestLocalization();

        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapOpenApi();
        // The API reference, all served by this app: Scalar's script is embedded in its package, its inline start-up script
        // carries a nonce per request (SecurityHeaders adds it to the CSP), and nothing is fetched from elsewhere (no CDN
        // fonts, no telemetry, no promotional toolbar).
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("CreditDesk API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .WithNonce()
            .DisableDefaultFonts()
            .DisableTelemetry()
            .HideDeveloperTools());
        app.MapApplicationsApi();
        app.MapReviewApi();
        app.MapDocumentsApi();
        app.MapDecisionsApi();
        app.MapWebhooksApi();
        app.MapCountriesApi();
        app.MapProblemsApi();
        app.MapApiKeysApi();
        app.MapWebhookEndpointsApi();
        app.MapBanksApi();
        app.MapAccountEndpoints();
        app.MapCultureEndpoints();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Health answers name the node that gave them, so an operator (or a test) can see where a balancer sends them.</summary>
    private static HealthCheckOptions HealthOptions(NodeIdentity node, Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = (context, report) =>
        {
            context.Response.Headers[NodeHeader] = node.Id;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        },
    };

    public const string NodeHeader = "X-CreditDesk-Node";

    private static bool IsPageRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/health")
        && !context.Request.Path.StartsWithSegments("/openapi") && !context.Request.Path.StartsWithSegments("/_framework")
        && !context.Request.Path.StartsWithSegments("/_content") && !context.Request.Path.StartsWithSegments("/_blazor")
        && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
}
