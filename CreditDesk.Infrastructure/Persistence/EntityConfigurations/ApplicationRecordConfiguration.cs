using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class ApplicationRecordConfiguration : IEntityTypeConfiguration<ApplicationRecord>
{
    public void Configure(EntityTypeBuilder<ApplicationRecord> builder)
    {
        builder.ToTable("credit_applications");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Reference).IsRequired();
        builder.HasIndex(a => a.Reference).IsUnique();
        builder.Property(a => a.Country).HasColumnType("char(2)").IsRequired();
        builder.Property(a => a.Currency).HasColumnType("char(3)").IsRequired();
        builder.Property(a => a.Status).HasMaxLength(16).IsRequired();
        builder.Property(a => a.RequestedAmount).HasPrecision(14, 2);
        builder.Property(a => a.MonthlyIncome).HasPrecision(14, 2);
        builder.Property(a => a.PiiKeyId).HasMaxLength(32).IsRequired();
        builder.Property(a => a.DocumentHash).IsRequired();
        builder.Property(a => a.ApplicantUserId).HasMaxLength(64);
        builder.Property(a => a.RuleResults).HasColumnType("jsonb");
        builder.Property(a => a.BureauReport).HasColumnType("jsonb");
        builder.Property(a => a.AssignedTo).HasMaxLength(64);
        builder.Property(a => a.ProductVersion).HasMaxLength(12);
        // The work queue: who holds what is under review, oldest waiting first.
        builder.HasIndex(a => new { a.AssignedTo, a.UpdatedAt }).HasDatabaseName("ix_credit_applications_review_queue").HasFilter("status = 'UNDER_REVIEW'");
        builder.Property(a => a.Version).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
    }
}
