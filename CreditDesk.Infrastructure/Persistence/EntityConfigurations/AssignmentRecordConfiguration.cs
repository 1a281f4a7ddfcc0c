using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class AssignmentRecordConfiguration : IEntityTypeConfiguration<AssignmentRecord>
{
    public void Configure(EntityTypeBuilder<AssignmentRecord> builder)
    {
        builder.ToTable("application_assignments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Action).HasMaxLength(16).IsRequired();
        builder.Property(a => a.Assignee).HasMaxLength(64);
        builder.Property(a => a.ActorId).HasMaxLength(64).IsRequired();
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(a => a.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.ApplicationId).HasDatabaseName("ix_application_assignments_application");
    }
}
