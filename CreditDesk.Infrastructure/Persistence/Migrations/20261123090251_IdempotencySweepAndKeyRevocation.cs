using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencySweepAndKeyRevocation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_idempotency_keys_expires_at",
                table: "idempotency_keys",
                column: "expires_at");

            // A revoked API key is forgotten by every node's cache on commit, whoever revoked it (the API or an operator's SQL).
            migrationBuilder.Sql("""
                CREATE FUNCTION creditdesk_notify_api_key_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('creditdesk_access', NEW.id::text);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER api_keys_revoked AFTER UPDATE OF revoked_at ON api_keys FOR EACH ROW
                    WHEN (NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
                    EXECUTE FUNCTION creditdesk_notify_api_key_revoked();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS api_keys_revoked ON api_keys; DROP FUNCTION IF EXISTS creditdesk_notify_api_key_revoked();");
            migrationBuilder.DropIndex(
                name: "ix_idempotency_keys_expires_at",
                table: "idempotency_keys");
        }
    }
}
