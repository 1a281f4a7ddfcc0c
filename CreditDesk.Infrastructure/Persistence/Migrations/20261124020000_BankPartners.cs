using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BankPartners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "bank_id",
                table: "webhook_events",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "bank_id",
                table: "credit_applications",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "banks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    country = table.Column<string>(type: "char(2)", nullable: false),
                    contact_cipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    pii_key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_banks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "bank_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    bank_id = table.Column<Guid>(type: "uuid", nullable: false),
                    secret_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    pii_key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bank_keys", x => x.id);
                    table.ForeignKey(
                        name: "FK_bank_keys_banks_bank_id",
                        column: x => x.bank_id,
                        principalTable: "banks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ux_webhook_events_bank_event",
                table: "webhook_events",
                columns: new[] { "bank_id", "event_id" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "IX_bank_keys_bank_id",
                table: "bank_keys",
                column: "bank_id");

            migrationBuilder.CreateIndex(
                name: "IX_bank_keys_key_id",
                table: "bank_keys",
                column: "key_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_banks_active_by_country",
                table: "banks",
                columns: new[] { "country", "created_at" },
                filter: "active");

            migrationBuilder.AddForeignKey(
                name: "FK_webhook_events_banks_bank_id",
                table: "webhook_events",
                column: "bank_id",
                principalTable: "banks",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Event ids were unique over all banks; now per bank (ux_webhook_events_bank_event, nulls not distinct).
            // Bank names are unique per country whatever their case. An application's bank is not in the EF model as a
            // relationship: that would add an index on bank_id to the hot table for a lookup nothing makes.
            migrationBuilder.Sql("""
                DROP INDEX ux_webhook_events_event_id;
                CREATE UNIQUE INDEX ux_banks_country_name ON banks (country, lower(name));
                ALTER TABLE credit_applications ADD CONSTRAINT fk_credit_applications_bank
                    FOREIGN KEY (bank_id) REFERENCES banks (id) ON DELETE RESTRICT;
                """);

            // An application entering APPROVED without a bank is given its country's first active bank, in the same
            // statement, whoever approves it (the rules, a person, a four-eyes confirmation, an operator's SQL). The
            // choice is one function, which BankPartners also uses when a bank arrives after the approval.
            migrationBuilder.Sql("""
                CREATE FUNCTION creditdesk_first_active_bank(of_country char(2)) RETURNS uuid LANGUAGE sql STABLE AS $$
                    SELECT id FROM banks WHERE country = of_country AND active ORDER BY created_at, id LIMIT 1
                $$;
                CREATE FUNCTION creditdesk_assign_bank() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.bank_id := creditdesk_first_active_bank(NEW.country);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER credit_applications_assign_bank BEFORE INSERT OR UPDATE OF status ON credit_applications FOR EACH ROW
                    WHEN (NEW.status = 'APPROVED' AND NEW.bank_id IS NULL)
                    EXECUTE FUNCTION creditdesk_assign_bank();
                """);

            // Any change to a bank's keys or its active flag empties every node's key cache, whoever made it.
            migrationBuilder.Sql("""
                CREATE FUNCTION creditdesk_notify_bank_access() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('creditdesk_access', 'bank');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER bank_keys_changed AFTER INSERT OR UPDATE OR DELETE ON bank_keys
                    FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_bank_access();
                CREATE TRIGGER banks_changed AFTER UPDATE OF active ON banks
                    FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_bank_access();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS banks_changed ON banks;
                DROP TRIGGER IF EXISTS bank_keys_changed ON bank_keys;
                DROP FUNCTION IF EXISTS creditdesk_notify_bank_access();
                DROP TRIGGER IF EXISTS credit_applications_assign_bank ON credit_applications;
                DROP FUNCTION IF EXISTS creditdesk_assign_bank();
                DROP FUNCTION IF EXISTS creditdesk_first_active_bank(char(2));
                ALTER TABLE credit_applications DROP CONSTRAINT IF EXISTS fk_credit_applications_bank;
                CREATE UNIQUE INDEX ux_webhook_events_event_id ON webhook_events (event_id);
                """);

            migrationBuilder.DropForeignKey(
                name: "FK_webhook_events_banks_bank_id",
                table: "webhook_events");

            migrationBuilder.DropTable(
                name: "bank_keys");

            migrationBuilder.DropTable(
                name: "banks");

            migrationBuilder.DropIndex(
                name: "ux_webhook_events_bank_event",
                table: "webhook_events");

            migrationBuilder.DropColumn(
                name: "bank_id",
                table: "webhook_events");

            migrationBuilder.DropColumn(
                name: "bank_id",
                table: "credit_applications");
        }
    }
}
