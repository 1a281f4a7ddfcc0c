using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditDesk.Infrastructure.Persistence.EntityConfigurations;

internal sealed class ApiKeyRecordConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> builder)
    {
        builder.ToTable("api_keys", table => table.HasCheckConstraint("api_keys_role_check", "role IN ('Applicant', 'Officer', 'Admin')"));
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(100).IsRequired();
        builder.Property(k => k.KeyHash).IsRequired();
        builder.Property(k => k.KeyPrefix).HasMaxLength(12).IsRequired();
        builder.Property(k => k.Role).HasMaxLength(16).IsRequired();
        builder.Property(k => k.UserId).HasMaxLength(64);
    }
}
