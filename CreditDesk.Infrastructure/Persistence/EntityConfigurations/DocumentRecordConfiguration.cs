using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class DocumentRecordConfiguration : IEntityTypeConfiguration<DocumentRecord>
{
    public void Configure(EntityTypeBuilder<DocumentRecord> builder)
    {
        builder.ToTable("application_documents");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Kind).HasMaxLength(32).IsRequired();
        builder.Property(d => d.MediaType).HasMaxLength(32).IsRequired();
        builder.Property(d => d.ContentCipher).IsRequired();
        builder.Property(d => d.PiiKeyId).HasMaxLength(32).IsRequired();
        builder.Property(d => d.UploadedBy).HasMaxLength(64).IsRequired();
        builder.Property(d => d.VerifiedBy).HasMaxLength(64);
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.ApplicationId).HasDatabaseName("ix_application_documents_application");
    }
}

internal sealed class DocumentRequestRecordConfiguration : IEntityTypeConfiguration<DocumentRequestRecord>
{
    public void Configure(EntityTypeBuilder<DocumentRequestRecord> builder)
    {
        builder.ToTable("document_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Kind).HasMaxLength(32).IsRequired();
        builder.Property(r => r.MessageCipher).IsRequired();
        builder.Property(r => r.PiiKeyId).HasMaxLength(32).IsRequired();
        builder.Property(r => r.RequestedBy).HasMaxLength(64).IsRequired();
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.ApplicationId).HasDatabaseName("ix_document_requests_application");
    }
}
