using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class DeadLetterRecordConfiguration : IEntityTypeConfiguration<DeadLetterRecord>
{
    public void Configure(EntityTypeBuilder<DeadLetterRecord> builder)
    {
        builder.ToTable("dead_letters");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).UseIdentityAlwaysColumn();
        builder.Property(d => d.Error).IsRequired();
        builder.Property(d => d.Resolution).HasMaxLength(16);
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.ApplicationId).HasDatabaseName("ix_dead_letters_application");
    }
}
