using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OutgoingWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_endpoints",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    event_types = table.Column<string[]>(type: "text[]", nullable: false),
                    max_concurrency = table.Column<int>(type: "integer", nullable: false),
                    secret_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    previous_secret_cipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    pii_key_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    previous_secret_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_endpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    event_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_messages", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_messages_credit_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "credit_applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_id = table.Column<long>(type: "bigint", nullable: false),
                    endpoint_id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    retry_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claimed_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    claimed_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    manual = table.Column<bool>(type: "boolean", nullable: false),
                    last_status_code = table.Column<int>(type: "integer", nullable: true),
                    last_latency_ms = table.Column<int>(type: "integer", nullable: true),
                    last_error = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_webhook_endpoints_endpoint_id",
                        column: x => x.endpoint_id,
                        principalTable: "webhook_endpoints",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_webhook_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "webhook_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    delivery_id = table.Column<long>(type: "bigint", nullable: false),
                    endpoint_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attempted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    latency_ms = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    manual = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_attempts", x => x.id);
                    table.ForeignKey(
                        name: "FK_webhook_attempts_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_attempts_delivery_id_id",
                table: "webhook_attempts",
                columns: new[] { "delivery_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_attempts_endpoint_id",
                table: "webhook_attempts",
                column: "endpoint_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_due",
                table: "webhook_deliveries",
                columns: new[] { "endpoint_id", "next_attempt_at" },
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_log",
                table: "webhook_deliveries",
                columns: new[] { "endpoint_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_message_id",
                table: "webhook_deliveries",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_order",
                table: "webhook_deliveries",
                columns: new[] { "endpoint_id", "application_id", "id" },
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_messages_application_id",
                table: "webhook_messages",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_messages_message_id",
                table: "webhook_messages",
                column: "message_id",
                unique: true);

            // Every status change writes exactly one audit row in its own transaction, whoever made it (intake, the drain,
            // a person, a bank, an operator's SQL): the events follow that row, so none is ever missed or sent for a
            // change that rolled back. While no endpoint is enabled the hot path pays one probe of a tiny table.
            migrationBuilder.Sql("""
                CREATE FUNCTION creditdesk_outgoing_events() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    types text[];
                    event_type text;
                    app record;
                    latest record;
                    data jsonb;
                    message bigint;
                BEGIN
                    types := CASE WHEN NEW.from_status IS NULL THEN ARRAY['application.submitted'] ELSE ARRAY['application.status_changed'] END;
                    IF NEW.to_status IN ('APPROVED', 'REJECTED') OR (NEW.to_status = 'UNDER_REVIEW' AND NEW.from_status = 'VALIDATING') THEN
                        types := types || 'application.decided'::text;
                    ELSIF NEW.to_status = 'DISBURSED' THEN
                        types := types || 'application.disbursed'::text;
                    END IF;
                    IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE disabled_at IS NULL AND event_types && types) THEN
                        RETURN NULL;
                    END IF;
                    SELECT a.id, a.country, a.currency, a.requested_amount INTO app FROM credit_applications a WHERE a.id = NEW.application_id;
                    -- No names, documents, notes or free-text reasons: the id, country, status, amounts and reason codes.
                    data := jsonb_build_object('application_id', app.id, 'country', app.country, 'status', NEW.to_status,
                        'previous_status', NEW.from_status, 'requested_amount', app.requested_amount::text, 'currency', app.currency);
                    IF 'application.decided' = ANY(types) THEN
                        SELECT d.solely_automated, d.record INTO latest FROM decisions d WHERE d.application_id = NEW.application_id ORDER BY d.id DESC LIMIT 1;
                        data := data || jsonb_build_object('decision', jsonb_build_object(
                            'solely_automated', coalesce(latest.solely_automated, NEW.actor = 'system'),
                            'reasons', coalesce(latest.record -> 'reasons',
                                CASE WHEN NEW.to_status = 'REJECTED' THEN '["decided_on_review"]'::jsonb ELSE '[]'::jsonb END)));
                    END IF;
                    FOREACH event_type IN ARRAY types LOOP
                        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE disabled_at IS NULL AND event_type = ANY(event_types));
                        INSERT INTO webhook_messages (message_id, event_type, application_id, payload, occurred_at)
                        VALUES ('msg_' || replace(gen_random_uuid()::text, '-', ''), event_type, NEW.application_id,
                                jsonb_build_object('type', event_type,
                                    'timestamp', to_char(NEW.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                    'data', data),
                                NEW.occurred_at)
                        RETURNING id INTO message;
                        INSERT INTO webhook_deliveries (message_id, endpoint_id, application_id, state, attempts, manual, next_attempt_at, retry_from, created_at)
                        SELECT message, e.id, NEW.application_id, 'pending', 0, false, now(), now(), now()
                          FROM webhook_endpoints e WHERE e.disabled_at IS NULL AND event_type = ANY(e.event_types);
                    END LOOP;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER application_audit_outgoing_events AFTER INSERT ON application_audit FOR EACH ROW
                    EXECUTE FUNCTION creditdesk_outgoing_events();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS application_audit_outgoing_events ON application_audit; DROP FUNCTION IF EXISTS creditdesk_outgoing_events();");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_endpoints");

            migrationBuilder.DropTable(
                name: "webhook_messages");
        }
    }
}
