using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class LoanProductRecordConfiguration : IEntityTypeConfiguration<LoanProductRecord>
{
    public void Configure(EntityTypeBuilder<LoanProductRecord> builder)
    {
        builder.ToTable("loan_products");
        builder.HasKey(p => p.Version);
        builder.Property(p => p.Version).HasMaxLength(12);
        builder.Property(p => p.Country).HasMaxLength(2).IsRequired();
        builder.Property(p => p.Definition).HasColumnType("jsonb").IsRequired();
        builder.Property(p => p.CreatedBy).HasMaxLength(64).IsRequired();
        builder.HasIndex(p => new { p.Country, p.EffectiveFrom }).HasDatabaseName("ix_loan_products_country_effective");
    }
}

internal sealed class DecisionRowRecordConfiguration : IEntityTypeConfiguration<DecisionRowRecord>
{
    public void Configure(EntityTypeBuilder<DecisionRowRecord> builder)
    {
        builder.ToTable("decisions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).UseIdentityAlwaysColumn();
        builder.Property(d => d.Status).HasMaxLength(16).IsRequired();
        builder.Property(d => d.Actor).HasMaxLength(16).IsRequired();
        builder.Property(d => d.ActorId).HasMaxLength(64).IsRequired();
        builder.Property(d => d.PolicyVersion).HasMaxLength(16).IsRequired();
        builder.Property(d => d.ProductVersion).HasMaxLength(12).IsRequired();
        builder.Property(d => d.Record).HasColumnType("jsonb").IsRequired();
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DecisionRowRecord>().WithMany().HasForeignKey(d => d.Supersedes).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.ApplicationId, d.Id }).HasDatabaseName("ix_decisions_application");
    }
}

internal sealed class ReviewRequestRecordConfiguration : IEntityTypeConfiguration<ReviewRequestRecord>
{
    public void Configure(EntityTypeBuilder<ReviewRequestRecord> builder)
    {
        builder.ToTable("review_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.PiiKeyId).HasMaxLength(32).IsRequired();
        builder.Property(r => r.RequestedBy).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Outcome).HasMaxLength(8);
        builder.Property(r => r.DecidedBy).HasMaxLength(64);
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DecisionRowRecord>().WithMany().HasForeignKey(r => r.DecisionId).OnDelete(DeleteBehavior.Restrict);
        // Once per decision: the second request on the same decision is refused by the database, not only by the code.
        builder.HasIndex(r => r.DecisionId).IsUnique().HasDatabaseName("ux_review_requests_decision");
        builder.HasIndex(r => r.ApplicationId).HasDatabaseName("ix_review_requests_application");
        // The officers' queue and the ops page read the open ones, oldest first.
        builder.HasIndex(r => r.RequestedAt).HasFilter("outcome IS NULL").HasDatabaseName("ix_review_requests_open");
    }
}

internal sealed class DecisionNoticeRecordConfiguration : IEntityTypeConfiguration<DecisionNoticeRecord>
{
    public void Configure(EntityTypeBuilder<DecisionNoticeRecord> builder)
    {
        builder.ToTable("decision_notices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).UseIdentityAlwaysColumn();
        builder.Property(n => n.Channel).HasMaxLength(16).IsRequired();
        builder.Property(n => n.Language).HasMaxLength(16).IsRequired();
        builder.Property(n => n.Content).HasMaxLength(4000).IsRequired();
        builder.HasOne<DecisionRowRecord>().WithMany().HasForeignKey(n => n.DecisionId).OnDelete(DeleteBehavior.Restrict);
        // The first showing per decision, channel and language is the notice; later views are not new notices.
        builder.HasIndex(n => new { n.DecisionId, n.Channel, n.Language }).IsUnique().HasDatabaseName("ux_decision_notices_first");
    }
}
