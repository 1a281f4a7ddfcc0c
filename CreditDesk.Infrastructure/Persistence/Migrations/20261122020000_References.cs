using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// A human reference per application (ES-2026-000123: country, year of submission, a number from one sequence), unique
/// and searchable, instead of the first characters of a time-ordered UUID (which are the same for everything submitted
/// the same minute). Existing rows get theirs in submission order. Document search needs the keyed hash indexed.
/// </summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261122020000_References")]
public sealed class References : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        CREATE SEQUENCE application_reference_seq AS bigint;
        ALTER TABLE credit_applications ADD COLUMN reference text;
        UPDATE credit_applications AS a SET reference = numbered.reference
        FROM (SELECT id, country || '-' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY') || '-'
                         || lpad(nextval('application_reference_seq')::text, 6, '0') AS reference
              FROM (SELECT id, country, created_at FROM credit_applications ORDER BY created_at, id) AS ordered) AS numbered
        WHERE a.id = numbered.id;
        ALTER TABLE credit_applications ALTER COLUMN reference SET NOT NULL;
        CREATE UNIQUE INDEX ux_credit_applications_reference ON credit_applications (reference);
        CREATE INDEX ix_credit_applications_document_hash ON credit_applications (document_hash);
        """);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        DROP INDEX ix_credit_applications_document_hash;
        ALTER TABLE credit_applications DROP COLUMN reference;
        DROP SEQUENCE application_reference_seq;
        """);
}
