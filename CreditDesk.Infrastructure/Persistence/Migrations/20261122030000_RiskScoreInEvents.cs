using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>Live events carry the risk score, so a row decided while an officer watches shows its score without a query.</summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261122030000_RiskScoreInEvents")]
public sealed class RiskScoreInEvents : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        CREATE OR REPLACE FUNCTION creditdesk_notify_application() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('application_events', json_build_object(
                'id', NEW.id, 'country', NEW.country, 'status', NEW.status,
                'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                'updated_at', NEW.updated_at, 'risk_score', NEW.risk_score)::text);
            RETURN NULL;
        END $$;
        """);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        CREATE OR REPLACE FUNCTION creditdesk_notify_application() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('application_events', json_build_object(
                'id', NEW.id, 'country', NEW.country, 'status', NEW.status,
                'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                'updated_at', NEW.updated_at)::text);
            RETURN NULL;
        END $$;
        """);
}
