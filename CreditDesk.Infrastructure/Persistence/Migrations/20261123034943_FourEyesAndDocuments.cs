using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Four-eyes proposals (one open per application; the audit row of a confirmed one names the proposer), supporting
    /// documents and document requests (content encrypted), and one NOTIFY function for every table that belongs to an
    /// application (notes, proposals, documents): the event says what changed in "what".
    /// </summary>
    public partial class FourEyesAndDocuments : Migration
    {
        private const string Notify = """
            CREATE FUNCTION creditdesk_notify_related() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('application_events', json_build_object(
                    'id', a.id, 'country', a.country, 'status', a.status, 'previous_status', a.status,
                    'updated_at', a.updated_at, 'risk_score', a.risk_score, 'assigned_to', a.assigned_to, 'what', TG_ARGV[0])::text)
                   FROM credit_applications a WHERE a.id = NEW.application_id;
                RETURN NULL;
            END $$;

            DROP TRIGGER trg_application_notes_notify ON application_notes;
            DROP FUNCTION creditdesk_notify_note();
            CREATE TRIGGER trg_application_notes_notify AFTER INSERT OR UPDATE OF edited_at ON application_notes
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_related('note');
            CREATE TRIGGER trg_decision_proposals_notify AFTER INSERT OR UPDATE OF state ON decision_proposals
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_related('proposal');
            CREATE TRIGGER trg_application_documents_notify AFTER INSERT OR UPDATE OF verified_at ON application_documents
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_related('document');
            CREATE TRIGGER trg_document_requests_notify AFTER INSERT OR UPDATE OF fulfilled_at ON document_requests
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_related('document');
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "proposed_by",
                table: "application_audit",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "application_documents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    media_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    content_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    pii_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    verified_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    verified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_documents", x => x.id);
                    table.ForeignKey(
                        name: "FK_application_documents_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "decision_proposals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    to_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    proposed_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    proposed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    decided_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decline_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decision_proposals", x => x.id);
                    table.ForeignKey(
                        name: "FK_decision_proposals_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "document_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    message_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    pii_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fulfilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_document_requests", x => x.id);
                    table.ForeignKey(
                        name: "FK_document_requests_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_application_documents_application",
                table: "application_documents",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ux_decision_proposals_pending",
                table: "decision_proposals",
                column: "application_id",
                unique: true,
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_document_requests_application",
                table: "document_requests",
                column: "application_id");

            migrationBuilder.Sql(Notify);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_application_notes_notify ON application_notes;
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
                """);
            migrationBuilder.DropTable(
                name: "application_documents");

            migrationBuilder.DropTable(
                name: "decision_proposals");

            migrationBuilder.DropTable(
                name: "document_requests");

            migrationBuilder.DropColumn(
                name: "proposed_by",
                table: "application_audit");

            migrationBuilder.Sql("DROP FUNCTION creditdesk_notify_related();");
        }
    }
}
