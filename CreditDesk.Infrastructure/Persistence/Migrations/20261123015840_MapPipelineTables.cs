using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// The tables the pipeline, the webhook and the API write (outbox, dead letters, webhook events, idempotency keys, API
/// keys) enter the EF model. They already exist (the SQL migrations made them), so this only adds what the model has
/// and the database lacked: an index on dead letters' application, which the foreign key's checks use.
/// </summary>
public partial class MapPipelineTables : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("CREATE INDEX IF NOT EXISTS ix_dead_letters_application ON dead_letters (application_id);");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP INDEX IF EXISTS ix_dead_letters_application;");
}
