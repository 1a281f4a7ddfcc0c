using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class NoteRecordConfiguration : IEntityTypeConfiguration<NoteRecord>
{
    public void Configure(EntityTypeBuilder<NoteRecord> builder)
    {
        builder.ToTable("application_notes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.AuthorId).HasMaxLength(64).IsRequired();
        builder.Property(n => n.TextCipher).IsRequired();
        builder.Property(n => n.PiiKeyId).HasMaxLength(32).IsRequired();
        builder.HasOne<ApplicationRecord>().WithMany().HasForeignKey(n => n.ApplicationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(n => new { n.ApplicationId, n.CreatedAt }).HasDatabaseName("ix_application_notes_application");
    }
}
