using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>API keys, stored only as SHA-256 hashes, each bound to one role (and optionally to a user).</summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261121020000_ApiKeys")]
public sealed class ApiKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE api_keys (
                id          uuid         PRIMARY KEY,
                name        varchar(100) NOT NULL,
                key_hash    bytea        NOT NULL,
                key_prefix  varchar(12)  NOT NULL,
                role        varchar(16)  NOT NULL CHECK (role IN ('Applicant', 'Officer', 'Admin')),
                user_id     varchar(64),
                created_at  timestamptz  NOT NULL,
                revoked_at  timestamptz
            );
            CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (key_hash);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("DROP TABLE api_keys;");
}
