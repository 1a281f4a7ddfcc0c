using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// The processing pipeline: outbox, dead letters, webhook events, idempotency keys, Quartz's own tables, and the
/// triggers that announce changes through LISTEN/NOTIFY in the same transaction as the change.
/// </summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261121010000_Pipeline")]
public sealed class Pipeline : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE application_outbox (
                id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                application_id  uuid         NOT NULL REFERENCES credit_applications (id) ON DELETE RESTRICT,
                attempts        integer      NOT NULL DEFAULT 0,
                available_at    timestamptz  NOT NULL,
                claimed_by      varchar(100),
                claimed_until   timestamptz,
                last_error      text,
                trace_parent    varchar(64),
                created_at      timestamptz  NOT NULL
            );
            CREATE INDEX ix_application_outbox_due ON application_outbox (available_at, id);
            CREATE UNIQUE INDEX ux_application_outbox_application ON application_outbox (application_id);

            CREATE TABLE dead_letters (
                id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                application_id  uuid         NOT NULL REFERENCES credit_applications (id) ON DELETE RESTRICT,
                attempts        integer      NOT NULL,
                error           text         NOT NULL,
                failed_at       timestamptz  NOT NULL,
                resolved_at     timestamptz,
                resolution      varchar(16)
            );
            CREATE INDEX ix_dead_letters_open ON dead_letters (failed_at DESC) WHERE resolved_at IS NULL;

            CREATE TABLE webhook_events (
                id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                event_id        varchar(100) NOT NULL,
                body_hash       bytea        NOT NULL,
                event_type      varchar(40)  NOT NULL,
                application_id  uuid,
                outcome         varchar(16)  NOT NULL,
                status_code     integer      NOT NULL,
                error           text,
                received_at     timestamptz  NOT NULL
            );
            CREATE UNIQUE INDEX ux_webhook_events_event_id ON webhook_events (event_id);
            CREATE INDEX ix_webhook_events_application ON webhook_events (application_id, received_at);

            CREATE TABLE idempotency_keys (
                key             varchar(200) PRIMARY KEY,
                request_hash    bytea        NOT NULL,
                status_code     integer      NOT NULL,
                response_body   text         NOT NULL,
                location        varchar(300),
                created_at      timestamptz  NOT NULL,
                expires_at      timestamptz  NOT NULL
            );
            CREATE INDEX ix_idempotency_keys_expiry ON idempotency_keys (expires_at);

            CREATE FUNCTION creditdesk_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('creditdesk_outbox', '');
                RETURN NULL;
            END $$;
            CREATE TRIGGER trg_application_outbox_notify AFTER INSERT ON application_outbox
                FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_outbox();

            CREATE FUNCTION creditdesk_notify_application() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('application_events', json_build_object(
                    'id', NEW.id, 'country', NEW.country, 'status', NEW.status,
                    'previous_status', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END,
                    'updated_at', NEW.updated_at)::text);
                RETURN NULL;
            END $$;
            CREATE TRIGGER trg_credit_applications_insert_notify AFTER INSERT ON credit_applications
                FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_application();
            CREATE TRIGGER trg_credit_applications_status_notify AFTER UPDATE OF status ON credit_applications
                FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION creditdesk_notify_application();
            """);

        foreach (var statement in QuartzSchema.Statements())
        {
            migrationBuilder.Sql(statement);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP TRIGGER trg_credit_applications_status_notify ON credit_applications;
            DROP TRIGGER trg_credit_applications_insert_notify ON credit_applications;
            DROP FUNCTION creditdesk_notify_application();
            DROP TABLE idempotency_keys, webhook_events, dead_letters, application_outbox;
            DROP FUNCTION creditdesk_notify_outbox();
            """);
    }
}
