using FluentValidation;
using System.Data.Common;
using CreditDesk.Domain.Bureaus;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Banks;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Infrastructure.Events;
using CreditDesk.Infrastructure.Operations;
using CreditDesk.Infrastructure.Persistence;
using CreditDesk.Infrastructure.Pii;
using CreditDesk.Infrastructure.Presence;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Infrastructure.Webhooks.Outgoing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Quartz.Impl;

namespace CreditDesk.Infrastructure;

public static class Extensions
{
    public const string ConnectionStringName = "CreditDesk";

    /// <summary>How many statements each connection keeps prepared unless <c>Database:MaxAutoPrepare</c> or the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 128;

    /// <summary>Persistence, PII protection, intake, processing (Quartz, clustered), bureaus and live events.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        var node = NodeIdentity.Create(configuration["Node:Id"]);
        services.AddSingleton(node);
        services.AddSingleton(provider =>
        {
            var connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException(
                    $"Connection string '{ConnectionStringName}' is not configured (set ConnectionStrings__{ConnectionStringName}).");
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            // The other nodes tell this process is gone when its connections are (see PostgresNotificationListener).
            builder.ConnectionStringBuilder.ApplicationName = node.ConnectionName;
            // Statements run often are prepared per connection, so PostgreSQL stops parsing and planning them on every
            // execution (the drain's decision statement is a five-part CTE: B2 went 968 → 1 364–2 067 decisions/s with it,
            // docs/PERFORMANCE.md). 0 turns it off (a pooler that cannot keep prepared statements).
            builder.ConnectionStringBuilder.MaxAutoPrepare =
                provider.GetRequiredService<IConfiguration>().GetValue<int?>("Database:MaxAutoPrepare")
                ?? (builder.ConnectionStringBuilder.MaxAutoPrepare > 0 ? builder.ConnectionStringBuilder.MaxAutoPrepare : DefaultMaxAutoPrepare);
            // A connection back from the pool is not reset: Npgsql would otherwise send DISCARD ALL (or, once statements
            // are prepared, seven reset statements parsed afresh each time) before its next use — about 45 µs of
            // PostgreSQL's CPU per request in B1 (docs/PERFORMANCE.md). Whatever leaves session state clears it (SessionState): the
            // listener unlistens and the migrator unlocks before their connections go back.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            return builder.Build();
        });
        services.AddSingleton<DbDataSource>(provider => provider.GetRequiredService<NpgsqlDataSource>());
        services.AddDbContext<CreditDeskDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped<DatabaseMigrator>();
        services.AddSingleton<SchemaReadiness>();
        services.AddHostedService<DatabaseMigrationService>();

        services.Configure<PiiOptions>(configuration.GetSection(PiiOptions.Section));
        services.AddSingleton<PiiCipher>();
        services.AddSingleton<PiiKeyRotation>();

        // Singletons, like their consumers (the intake service and the endpoints that call it).
        services.AddValidatorsFromAssemblyContaining<ApplicationFormValidator>(ServiceLifetime.Singleton, includeInternalTypes: false);
        services.AddSingleton<ApplicationSubmission>();
        services.AddSingleton<StatusChanges>();
        services.AddSingleton<ApplicationQueries>();
        services.AddSingleton<ReviewWork>();
        services.AddSingleton<LoanCatalogue>();
        services.AddSingleton<DecisionTrail>();
        services.Configure<ApprovalOptions>(configuration.GetSection(ApprovalOptions.Section));
        services.AddSingleton<FourEyes>();
        services.AddSingleton<Proposals>();
        services.AddSingleton<SupportingDocuments>();
        services.AddSingleton<ApiKeyStore>();
        services.Configure<BankOptions>(configuration.GetSection(BankOptions.Section));
        services.AddSingleton<BankPartners>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<BankConfirmations>();
        services.Configure<OutgoingWebhookOptions>(configuration.GetSection(OutgoingWebhookOptions.Section));
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookEndpoints>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());

        services.Configure<BureauResilienceOptions>(configuration.GetSection(BureauResilienceOptions.Section));
        services.AddSingleton(BureauFaultSettings.FromConfiguration(configuration.GetSection("Bureaus:Faults")));
        // The simulated bureaus stand behind the Domain's port; a real integration replaces this one line.
        services.AddSingleton<ICreditBureau, SimulatedCreditBureau>();
        ResilientBureau.AddBureauPipelines(services);
        services.AddSingleton<ResilientBureau>();

        services.AddSingleton<ApplicationEventHub>();
        services.Configure<LiveEventOptions>(configuration.GetSection(LiveEventOptions.Section));
        services.AddSingleton<LiveEvents>();
        services.AddHostedService(provider => provider.GetRequiredService<LiveEvents>());
        services.AddSingleton<PostgresNotificationListener>();
        services.AddHostedService(provider => provider.GetRequiredService<PostgresNotificationListener>());
        services.AddSingleton<PresenceBoard>();
        services.AddHostedService<PresencePublisher>();

        services.AddProcessing(configuration, node);

        services.AddSingleton<OpsQueries>();
        services.AddSingleton<DeadLetters>();
        services.AddHostedService<OperationsMetrics>();

        services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", HealthStatus.Unhealthy, ["ready"], TimeSpan.FromSeconds(5));
        return services;
    }

    private static void AddProcessing(this IServiceCollection services, IConfiguration configuration, NodeIdentity node)
    {
        var section = configuration.GetSection(ProcessingOptions.Section);
        services.Configure<ProcessingOptions>(section);
        var settings = section.Get<ProcessingOptions>() ?? new ProcessingOptions();
        services.AddSingleton<ProcessingWakeup>();
        services.AddSingleton<DecisionWriter>();
        services.AddSingleton<ApplicationProcessor>();
        services.AddSingleton<OutboxDrain>();

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "CreditDesk";
                scheduler.InstanceId = node.Id;
            });
            quartz.UseDefaultThreadPool(settings.SchedulerThreads);
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(dataSource => dataSource.UseRegisteredDataSource = true);
                store.UseClustering(clustering =>
                {
                    clustering.CheckinInterval = TimeSpan.FromSeconds(5);
                    clustering.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                });
                store.UseSerializer<SystemTextJsonObjectSerializer>();
            });
            quartz.AddJob<DrainOutboxJob>(job => job.WithIdentity(DrainOutboxJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(DrainOutboxJob.Key)
                .WithIdentity(DrainOutboxJob.SweepKey)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(settings.SweepInterval).RepeatForever()));
            quartz.AddJob<IdempotencySweepJob>(job => job.WithIdentity(IdempotencySweepJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(IdempotencySweepJob.Key)
                .WithIdentity(IdempotencySweepJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(settings.IdempotencySweepInterval).RepeatForever()));
            // The outgoing events' log is swept as often (housekeeping, not latency).
            quartz.AddJob<WebhookLogSweepJob>(job => job.WithIdentity(WebhookLogSweepJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(WebhookLogSweepJob.Key)
                .WithIdentity(WebhookLogSweepJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(settings.IdempotencySweepInterval).RepeatForever()));
        });
        services.AddHostedService<ProcessingStarter>();
    }
}
