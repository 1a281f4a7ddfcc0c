using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class WebhookEndpointRecordConfiguration : IEntityTypeConfiguration<WebhookEndpointRecord>
{
    public void Configure(EntityTypeBuilder<WebhookEndpointRecord> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Url).HasMaxLength(2048).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(200);
        builder.Property(e => e.EventTypes).IsRequired();
        builder.Property(e => e.PiiKeyId).HasMaxLength(64).IsRequired();
        builder.Property(e => e.CreatedBy).HasMaxLength(450).IsRequired();
        builder.Property(e => e.DisabledReason).HasMaxLength(16);
    }
}

internal sealed class WebhookMessageRecordConfiguration : IEntityTypeConfiguration<WebhookMessageRecord>
{
    public void Configure(EntityTypeBuilder<WebhookMessageRecord> builder)
    {
        builder.ToTable("webhook_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.Property(m => m.MessageId).HasMaxLength(40).IsRequired();
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.EventType).HasMaxLength(40).IsRequired();
        builder.Property(m => m.Payload).HasColumnType("jsonb").IsRequired();
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryRecordConfiguration : IEntityTypeConfiguration<WebhookDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryRecord> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).UseIdentityAlwaysColumn();
        builder.Property(d => d.State).HasMaxLength(16).IsRequired();
        builder.Property(d => d.ClaimedBy).HasMaxLength(100);
        builder.Property(d => d.LastError).HasMaxLength(200);
        builder.HasOne<WebhookMessageRecord>().WithMany().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpointRecord>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // The dispatcher's due scan and the one-at-a-time-per-application check read pending rows only.
        builder.HasIndex(d => new { d.EndpointId, d.NextAttemptAt }).HasFilter("state = 'pending'").HasDatabaseName("ix_webhook_deliveries_due");
        builder.HasIndex(d => new { d.EndpointId, d.ApplicationId, d.Id }).HasFilter("state = 'pending'").HasDatabaseName("ix_webhook_deliveries_order");
        // The delivery log: an endpoint's latest first.
        builder.HasIndex(d => new { d.EndpointId, d.Id }).HasDatabaseName("ix_webhook_deliveries_log");
        builder.HasIndex(d => d.MessageId);
    }
}

internal sealed class WebhookAttemptRecordConfiguration : IEntityTypeConfiguration<WebhookAttemptRecord>
{
    public void Configure(EntityTypeBuilder<WebhookAttemptRecord> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Error).HasMaxLength(200);
        builder.Property(a => a.Node).HasMaxLength(100).IsRequired();
        builder.HasOne<WebhookDeliveryRecord>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Id });
        builder.HasIndex(a => a.EndpointId);
    }
}
