using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Decisions that stand up to a regulator: loan product versions (admin-set, with an effective date), an append-only
    /// decision record per decision (a trigger refuses UPDATE and DELETE), applicants' requests for a human review (live
    /// through the related-table NOTIFY), and the notice trail; each application remembers the product it was priced with.
    /// </summary>
    public partial class DecisionRecords : Migration
    {
        private const string Rules = """
            CREATE FUNCTION creditdesk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: a changed decision is a new row that supersedes the old one', TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$;
            CREATE TRIGGER trg_decisions_append_only BEFORE UPDATE OR DELETE ON decisions
                FOR EACH ROW EXECUTE FUNCTION creditdesk_append_only();
            CREATE TRIGGER trg_loan_products_append_only BEFORE UPDATE OR DELETE ON loan_products
                FOR EACH ROW EXECUTE FUNCTION creditdesk_append_only();
            CREATE TRIGGER trg_review_requests_notify AFTER INSERT OR UPDATE OF outcome ON review_requests
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_related('review');
            ALTER TABLE review_requests ADD CONSTRAINT ck_review_requests_outcome CHECK (outcome IN ('upheld', 'changed'));
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "product_version",
                table: "credit_applications",
                type: "character varying(12)",
                maxLength: 12,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    solely_automated = table.Column<bool>(type: "boolean", nullable: false),
                    actor = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    policy_version = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    product_version = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    supersedes = table.Column<long>(type: "bigint", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    record = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decisions", x => x.id);
                    table.ForeignKey(
                        name: "FK_decisions_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_decisions_decisions_supersedes",
                        column: x => x.supersedes,
                        principalTable: "decisions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "loan_products",
                columns: table => new
                {
                    version = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "date", nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: false),
                    created_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_loan_products", x => x.version);
                });

            migrationBuilder.CreateTable(
                name: "decision_notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    decision_id = table.Column<long>(type: "bigint", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    content = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    shown_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decision_notices", x => x.id);
                    table.ForeignKey(
                        name: "FK_decision_notices_decisions_decision_id",
                        column: x => x.decision_id,
                        principalTable: "decisions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "review_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    decision_id = table.Column<long>(type: "bigint", nullable: false),
                    statement_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    explanation_cipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    pii_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    decided_by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_requests", x => x.id);
                    table.ForeignKey(
                        name: "FK_review_requests_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_review_requests_decisions_decision_id",
                        column: x => x.decision_id,
                        principalTable: "decisions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ux_decision_notices_first",
                table: "decision_notices",
                columns: new[] { "decision_id", "channel", "language" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_decisions_application",
                table: "decisions",
                columns: new[] { "application_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_supersedes",
                table: "decisions",
                column: "supersedes");

            migrationBuilder.CreateIndex(
                name: "ix_loan_products_country_effective",
                table: "loan_products",
                columns: new[] { "country", "effective_from" });

            migrationBuilder.CreateIndex(
                name: "ix_review_requests_application",
                table: "review_requests",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_review_requests_open",
                table: "review_requests",
                column: "requested_at",
                filter: "outcome IS NULL");

            migrationBuilder.CreateIndex(
                name: "ux_review_requests_decision",
                table: "review_requests",
                column: "decision_id",
                unique: true);

            migrationBuilder.Sql(Rules);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER trg_review_requests_notify ON review_requests; DROP TRIGGER trg_loan_products_append_only ON loan_products; DROP TRIGGER trg_decisions_append_only ON decisions; DROP FUNCTION creditdesk_append_only();");

            migrationBuilder.DropTable(
                name: "decision_notices");

            migrationBuilder.DropTable(
                name: "loan_products");

            migrationBuilder.DropTable(
                name: "review_requests");

            migrationBuilder.DropTable(
                name: "decisions");

            migrationBuilder.DropColumn(
                name: "product_version",
                table: "credit_applications");
        }
    }
}
