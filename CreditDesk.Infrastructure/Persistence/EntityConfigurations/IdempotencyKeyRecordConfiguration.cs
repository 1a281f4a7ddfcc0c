using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class IdempotencyKeyRecordConfiguration : IEntityTypeConfiguration<IdempotencyKeyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyKeyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(k => k.Key);
        builder.Property(k => k.Key).HasMaxLength(200);
        builder.Property(k => k.RequestHash).IsRequired();
        builder.Property(k => k.ResponseBody).IsRequired();
        builder.Property(k => k.Location).HasMaxLength(300);
        // The sweep deletes by age.
        builder.HasIndex(k => k.ExpiresAt).HasDatabaseName("ix_idempotency_keys_expires_at");
    }
}
