using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class BankRecordConfiguration : IEntityTypeConfiguration<BankRecord>
{
    public void Configure(EntityTypeBuilder<BankRecord> builder)
    {
        builder.ToTable("banks");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Name).HasMaxLength(100).IsRequired();
        builder.Property(b => b.Country).HasColumnType("char(2)").IsRequired();
        builder.Property(b => b.PiiKeyId).HasMaxLength(64);
        builder.Property(b => b.CreatedBy).HasMaxLength(450).IsRequired();
        // Approval picks the country's first active bank; names are unique per country whatever their case (ux_banks_country_name, in the migration).
        builder.HasIndex(b => new { b.Country, b.CreatedAt }).HasFilter("active").HasDatabaseName("ix_banks_active_by_country");
    }
}

internal sealed class BankKeyRecordConfiguration : IEntityTypeConfiguration<BankKeyRecord>
{
    public void Configure(EntityTypeBuilder<BankKeyRecord> builder)
    {
        builder.ToTable("bank_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.KeyId).HasMaxLength(64).IsRequired();
        builder.HasIndex(k => k.KeyId).IsUnique();
        builder.Property(k => k.SecretCipher).IsRequired();
        builder.Property(k => k.PiiKeyId).HasMaxLength(64).IsRequired();
        builder.HasOne<BankRecord>().WithMany().HasForeignKey(k => k.BankId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(k => k.BankId);
    }
}
