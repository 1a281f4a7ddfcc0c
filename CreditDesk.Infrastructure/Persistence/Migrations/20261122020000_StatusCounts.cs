using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreditDesk.Infrastructure.Persistence.Migrations;

/// <summary>
/// Counts per country and status, kept by statement-level triggers in the same transaction as every insert, status
/// change and delete. The grid's counts were a GROUP BY over the table: 4 ms at 10 000 applications, 100+ ms at
/// 1 000 000, run by every officer's screen. Each writer adds to the shard of its own backend (pid % 16), so concurrent
/// submissions rarely wait on the same counter row; readers sum the shards.
/// </summary>
[DbContext(typeof(CreditDeskDbContext))]
[Migration("20261122020000_StatusCounts")]
public sealed class StatusCounts : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        CREATE TABLE application_status_counts (
            country char(2)     NOT NULL,
            status  varchar(16) NOT NULL,
            shard   smallint    NOT NULL,
            count   bigint      NOT NULL,
            PRIMARY KEY (country, status, shard)
        );

        CREATE FUNCTION creditdesk_count_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO application_status_counts AS c (country, status, shard, count)
                SELECT country, status, pg_backend_pid() % 16, count(*) FROM new_rows GROUP BY country, status ORDER BY country, status
                ON CONFLICT (country, status, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO application_status_counts AS c (country, status, shard, count)
                SELECT country, status, pg_backend_pid() % 16, -count(*) FROM old_rows GROUP BY country, status ORDER BY country, status
                ON CONFLICT (country, status, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
            ELSE
                INSERT INTO application_status_counts AS c (country, status, shard, count)
                SELECT country, status, pg_backend_pid() % 16, sum(delta) FROM (
                    SELECT n.country, n.status, 1 AS delta FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.status <> n.status
                    UNION ALL
                    SELECT o.country, o.status, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.status <> n.status) moved
                GROUP BY country, status ORDER BY country, status
                ON CONFLICT (country, status, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER trg_credit_applications_count_insert AFTER INSERT ON credit_applications
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_count_statuses();
        CREATE TRIGGER trg_credit_applications_count_update AFTER UPDATE ON credit_applications
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_count_statuses();
        CREATE TRIGGER trg_credit_applications_count_delete AFTER DELETE ON credit_applications
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_count_statuses();

        -- Rows written before this migration (the triggers exist from here on, in the same transaction).
        INSERT INTO application_status_counts (country, status, shard, count)
        SELECT country, status, 0, count(*) FROM credit_applications GROUP BY country, status;
        """);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        DROP TRIGGER trg_credit_applications_count_insert ON credit_applications;
        DROP TRIGGER trg_credit_applications_count_update ON credit_applications;
        DROP TRIGGER trg_credit_applications_count_delete ON credit_applications;
        DROP FUNCTION creditdesk_count_statuses();
        DROP TABLE application_status_counts;
        """);
}
