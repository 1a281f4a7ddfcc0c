using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CreditDesk.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Submissions, status moves and outbox inserts no longer NOTIFY inside their transactions: the committing node
    /// publishes them in batches (LiveEvents). PostgreSQL serialises notifying commits, so these three triggers capped
    /// intake and the drain. The staff-speed triggers (notes, proposals, documents, assignments, review requests, API
    /// key revocations) stay.
    /// </summary>
    [DbContext(typeof(CreditDeskDbContext))]
    [Migration("20261124000000_LiveEventsLeaveTheCommit")]
    public partial class LiveEventsLeaveTheCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER trg_application_outbox_notify ON application_outbox;
                DROP FUNCTION creditdesk_notify_outbox();
                DROP TRIGGER trg_credit_applications_insert_notify ON credit_applications;
                DROP TRIGGER trg_credit_applications_status_notify ON credit_applications;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION creditdesk_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('creditdesk_outbox', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER trg_application_outbox_notify AFTER INSERT ON application_outbox
                    FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_outbox();
                CREATE TRIGGER trg_credit_applications_insert_notify AFTER INSERT ON credit_applications
                    FOR EACH ROW EXECUTE FUNCTION creditdesk_notify_application();
                CREATE TRIGGER trg_credit_applications_status_notify AFTER UPDATE OF status ON credit_applications
                    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION creditdesk_notify_application();
                """);
        }
    }
}
