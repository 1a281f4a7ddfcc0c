using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class ProposalRecordConfiguration : IEntityTypeConfiguration<ProposalRecord>
{
    public void Configure(EntityTypeBuilder<ProposalRecord> builder)
    {
        builder.ToTable("decision_proposals");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.FromStatus).HasMaxLength(16).IsRequired();
        builder.Property(p => p.ToStatus).HasMaxLength(16).IsRequired();
        builder.Property(p => p.Reason).HasMaxLength(500).IsRequired();
        builder.Property(p => p.ProposedBy).HasMaxLength(64).IsRequired();
        builder.Property(p => p.State).HasMaxLength(16).IsRequired();
        builder.Property(p => p.DecidedBy).HasMaxLength(64);
        builder.Property(p => p.DeclineReason).HasMaxLength(500);
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        // One open proposal per application; the admins' "waiting for my confirmation" reads the open ones.
        builder.HasIndex(p => p.ApplicationId).IsUnique().HasFilter("state = 'pending'").HasDatabaseName("ux_decision_proposals_pending");
    }
}
