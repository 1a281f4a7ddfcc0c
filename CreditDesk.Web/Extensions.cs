using CreditDesk.Infrastructure;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Pii;
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

    public static WebApplicationBuilder AddCreditDeskWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddInfrastructure(builder.Configuration);
        if (!builder.Environment.IsProduction())
        {
            // Outside Production a missing key is generated once under .data/ (git-ignored), never committed.
            var dataDirectory = builder.Configuration["CREDITDESK_DATA_DIR"] ?? Path.Combine(builder.Environment.ContentRootPath, "..", ".data");
            services.PostConfigure<PiiOptions>(options =>
            {
                if (options.Keys.Count == 0)
                {
                    options.DevelopmentKeyFile ??= Path.Combine(dataDirectory, "pii-keys.json");
                }
            });
        }
        if (builder.Configuration.GetValue("Seed:SampleApplications", false))
        {
            services.AddHostedService<SampleApplicationSeeder>();
        }
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        return builder;
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
