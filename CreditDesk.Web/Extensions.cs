using CreditDesk.Infrastructure;
using CreditDesk.Web.Components;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Radzen;
using Serilog;
using Serilog.Formatting.Json;

namespace CreditDesk.Web;

public static class Extensions
{
    public static WebApplicationBuilder AddCreditDeskLogging(this WebApplicationBuilder builder)
    {
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(new JsonFormatter(renderMessage: true))
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }

    public static IServiceCollection AddCreditDeskWeb(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddInfrastructure();
        services.AddHostedService<DatabaseMigrationService>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        return services;
    }

    public static WebApplication MapCreditDesk(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
