using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class WebhookEventRecordConfiguration : IEntityTypeConfiguration<WebhookEventRecord>
{
    public void Configure(EntityTypeBuilder<WebhookEventRecord> builder)
    {
        builder.ToTable("webhook_events");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).UseIdentityAlwaysColumn();
        builder.Property(w => w.EventId).HasMaxLength(100).IsRequired();
        builder.Property(w => w.BodyHash).IsRequired();
        builder.Property(w => w.EventType).HasMaxLength(40).IsRequired();
        builder.Property(w => w.Outcome).HasMaxLength(16).IsRequired();
        // An event id is the bank's own: unique per bank (and once among the events from before bank partners).
        builder.HasOne<BankRecord>().WithMany().HasForeignKey(w => w.BankId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(w => new { w.BankId, w.EventId }).IsUnique().AreNullsDistinct(false).HasDatabaseName("ux_webhook_events_bank_event");
    }
}
