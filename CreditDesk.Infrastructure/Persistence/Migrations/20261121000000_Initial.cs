using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// Migrations are written as SQL by hand: the EF Core design-time package cannot be restored here, and the SQL is what
/// a reviewer wants to read anyway. A test checks that every mapped property has its column.
/// </summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE credit_applications (
                id                uuid          PRIMARY KEY,
                country           char(2)       NOT NULL,
                currency          char(3)       NOT NULL,
                status            varchar(16)   NOT NULL,
                requested_amount  numeric(14,2) NOT NULL CHECK (requested_amount > 0),
                monthly_income    numeric(14,2) NOT NULL CHECK (monthly_income > 0),
                term_months       integer       NOT NULL CHECK (term_months BETWEEN 6 AND 84),
                full_name_cipher  bytea         NOT NULL,
                document_cipher   bytea         NOT NULL,
                pii_key_id        varchar(32)   NOT NULL,
                document_hash     bytea         NOT NULL,
                applicant_user_id varchar(64),
                risk_score        integer       CHECK (risk_score BETWEEN 0 AND 100),
                rule_results      jsonb,
                bureau_report     jsonb,
                created_at        timestamptz   NOT NULL,
                updated_at        timestamptz   NOT NULL,
                decided_at        timestamptz
            );
            CREATE INDEX ix_credit_applications_newest ON credit_applications (created_at DESC, id DESC);
            CREATE INDEX ix_credit_applications_country_newest ON credit_applications (country, created_at DESC, id DESC);
            CREATE INDEX ix_credit_applications_status_newest ON credit_applications (status, created_at DESC, id DESC);
            CREATE UNIQUE INDEX ux_credit_applications_one_active_per_person ON credit_applications (country, document_hash)
                WHERE status NOT IN ('REJECTED', 'CANCELLED', 'DISBURSED');

            CREATE TABLE application_audit (
                id             bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                application_id uuid         NOT NULL REFERENCES credit_applications (id) ON DELETE RESTRICT,
                from_status    varchar(16),
                to_status      varchar(16)  NOT NULL,
                actor          varchar(16)  NOT NULL,
                actor_id       varchar(64)  NOT NULL,
                reason         varchar(500),
                occurred_at    timestamptz  NOT NULL
            );
            CREATE INDEX ix_application_audit_application ON application_audit (application_id, occurred_at);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE application_audit; DROP TABLE credit_applications;");
    }
}
