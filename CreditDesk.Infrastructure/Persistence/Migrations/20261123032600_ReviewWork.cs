using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Review work: who holds an application under review (and the history of it), review notes (text encrypted), and
    /// live events for both — what changed travels in the event's "what" so screens redraw only what they show.
    /// </summary>
    public partial class ReviewWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "assigned_at",
                table: "credit_applications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "assigned_to",
                table: "credit_applications",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "application_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    assignee = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    actor_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_assignments", x => x.id);
                    table.ForeignKey(
                        name: "FK_application_assignments_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "application_notes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    author_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    text_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    pii_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    edited_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_notes", x => x.id);
                    table.ForeignKey(
                        name: "FK_application_notes_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_credit_applications_review_queue",
                table: "credit_applications",
                columns: new[] { "assigned_to", "updated_at" },
                filter: "status = 'UNDER_REVIEW'");

            migrationBuilder.CreateIndex(
                name: "ix_application_assignments_application",
                table: "application_assignments",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_application_notes_application",
                table: "application_notes",
                columns: new[] { "application_id", "created_at" });

            migrationBuilder.Sql(Notify);
        }

        private const string Notify = """
            CREATE OR REPLACE FUNCTION creditdesk_notify_application() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('application_events', json_build_object(
                    'id', NEW.id, 'country', NEW.country, 'status', NEW.status,
                    'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                    'updated_at', NEW.updated_at, 'risk_score', NEW.risk_score, 'assigned_to', NEW.assigned_to,
                    'what', COALESCE(TG_ARGV[0], 'status'))::text);
                RETURN NULL;
            END $$;

            CREATE TRIGGER trg_credit_applications_assignment_notify AFTER UPDATE OF assigned_to ON credit_applications
                FOR EACH ROW WHEN (OLD.assigned_to IS DISTINCT FROM NEW.assigned_to AND OLD.status = NEW.status)
                EXECUTE FUNCTION creditdesk_notify_application('assignment');

            CREATE FUNCTION creditdesk_notify_note() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('application_events', json_build_object(
                    'id', a.id, 'country', a.country, 'status', a.status, 'previous_status', a.status,
                    'updated_at', a.updated_at, 'risk_score', a.risk_score, 'assigned_to', a.assigned_to, 'what', 'note')::text)
                   FROM credit_applications a WHERE a.id = NEW.application_id;
                RETURN NULL;
            END $$;

            CREATE TRIGGER trg_application_notes_notify AFTER INSERT OR UPDATE OF edited_at ON application_notes
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_note();
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_application_notes_notify ON application_notes;
                DROP FUNCTION creditdesk_notify_note();
                DROP TRIGGER trg_credit_applications_assignment_notify ON credit_applications;
                CREATE OR REPLACE FUNCTION creditdesk_notify_application() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('application_events', json_build_object(
                        'id', NEW.id, 'country', NEW.country, 'status', NEW.status,
                        'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                        'updated_at', NEW.updated_at, 'risk_score', NEW.risk_score)::text);
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.DropTable(
                name: "application_assignments");

            migrationBuilder.DropTable(
                name: "application_notes");

            migrationBuilder.DropIndex(
                name: "ix_credit_applications_review_queue",
                table: "credit_applications");

            migrationBuilder.DropColumn(
                name: "assigned_at",
                table: "credit_applications");

            migrationBuilder.DropColumn(
                name: "assigned_to",
                table: "credit_applications");
        }
    }
}
