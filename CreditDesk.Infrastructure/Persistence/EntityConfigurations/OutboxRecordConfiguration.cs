using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class OutboxRecordConfiguration : IEntityTypeConfiguration<OutboxRecord>
{
    public void Configure(EntityTypeBuilder<OutboxRecord> builder)
    {
        builder.ToTable("application_outbox");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).UseIdentityAlwaysColumn();
        builder.Property(o => o.Attempts).HasDefaultValue(0);
        builder.Property(o => o.ClaimedBy).HasMaxLength(100);
        builder.Property(o => o.TraceParent).HasMaxLength(64);
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(o => o.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        // One outbox row per application; the drain's partial "due" index stays in SQL (EF cannot express it).
        builder.HasIndex(o => o.ApplicationId).IsUnique().HasDatabaseName("ux_application_outbox_application");
    }
}
