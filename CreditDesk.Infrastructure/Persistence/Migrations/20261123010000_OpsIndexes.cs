using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// What /ops reads every 2 s, by index rather than by scanning: decisions of the last 15 minutes (audit rows leaving
/// VALIDATING: counts and latency) and the latest refused webhooks. Open dead letters have theirs already. Nothing on
/// credit_applications: every decision would pay for it.
/// </summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261123010000_OpsIndexes")]
public sealed class OpsIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        CREATE INDEX IF NOT EXISTS ix_application_audit_decisions ON application_audit (occurred_at) WHERE from_status = 'VALIDATING';
        CREATE INDEX IF NOT EXISTS ix_webhook_events_rejected ON webhook_events (received_at DESC) WHERE outcome = 'rejected';
        """);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        DROP INDEX IF EXISTS ix_application_audit_decisions;
        DROP INDEX IF EXISTS ix_webhook_events_rejected;
        """);
}
