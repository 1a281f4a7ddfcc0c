using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class AuditEntryRecordConfiguration : IEntityTypeConfiguration<AuditEntryRecord>
{
    public void Configure(EntityTypeBuilder<AuditEntryRecord> builder)
    {
        builder.ToTable("application_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.FromStatus).HasMaxLength(16);
        builder.Property(a => a.ToStatus).HasMaxLength(16).IsRequired();
        builder.Property(a => a.Actor).HasMaxLength(16).IsRequired();
        builder.Property(a => a.ActorId).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Reason).HasMaxLength(500);
        builder.Property(a => a.ProposedBy).HasMaxLength(64);
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
