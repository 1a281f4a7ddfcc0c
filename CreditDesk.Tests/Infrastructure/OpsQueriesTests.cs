using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Operations;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

public sealed class OpsQueriesTests : QuietNode
{
    [Fact]
    public async Task Queue_depth_is_the_number_of_due_outbox_rows_and_rows_waiting_to_retry_are_counted_apart()
    {
        var submission = Node.Get<ApplicationSubmission>();
        for (var i = 0; i < 7; i++)
        {
            await submission.SubmitAsync(ApplicationTestData.Colombian());
        }
        await Database.ExecuteAsync(
            "UPDATE application_outbox SET available_at = now() + interval '1 hour' WHERE id IN (SELECT id FROM application_outbox ORDER BY id LIMIT 2)");

        var queue = await Node.Get<OpsQueries>().QueueAsync(CancellationToken.None);

        Assert.Equal(await Database.ScalarAsync<long>("SELECT count(*) FROM application_outbox WHERE available_at <= now()"), queue.Due);
        Assert.Equal(5, queue.Due);
        Assert.Equal(2, queue.Waiting);
        Assert.NotNull(queue.OldestDueAge);
    }

    [Fact]
    public async Task Retrying_a_dead_letter_assesses_the_application_again_as_the_admin_and_closes_the_letter()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian(income: 1_000_000m));
        await Database.ExecuteAsync($"""
            DELETE FROM application_outbox;
            UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{id}';
            INSERT INTO dead_letters (application_id, attempts, error, failed_at) VALUES ('{id}', 5, 'NpgsqlException: boom', now());
            """);
        var letter = Assert.Single(await Node.Get<OpsQueries>().OpenDeadLettersAsync(CancellationToken.None));

        var outcome = await Node.Get<DeadLetters>().RetryAsync(letter.Id, "dev-admin", CancellationToken.None);

        Assert.Equal("Ops.Retry.Decided", outcome.Key);
        Assert.Equal(["REJECTED"], outcome.Values);
        Assert.Equal("REJECTED", await Database.StatusAsync(id));
        Assert.Equal("admin", await Database.ScalarAsync<string>($"SELECT actor FROM application_audit WHERE application_id = '{id}' AND to_status = 'REJECTED'"));
        Assert.Empty(await Node.Get<OpsQueries>().OpenDeadLettersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Latency_is_given_for_the_window_and_minute_by_minute_from_submit_to_decision()
    {
        var submission = Node.Get<ApplicationSubmission>();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await submission.SubmitAsync(ApplicationTestData.Colombian()));
        }
        // Decided 1, 2, 3 and 4 seconds after submission, two minutes apart: each decision is its audit row leaving VALIDATING.
        await Database.ExecuteAsync(string.Join(";", ids.Select((id, i) => $"""
            UPDATE credit_applications SET created_at = date_trunc('minute', now()) - interval '{2 * (i / 2)} minutes', status = 'APPROVED'
             WHERE id = '{id}';
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, occurred_at)
            VALUES ('{id}', 'VALIDATING', 'APPROVED', 'system', 'node', date_trunc('minute', now()) - interval '{2 * (i / 2)} minutes' + interval '{i + 1} seconds')
            """)));

        var latency = await Node.Get<OpsQueries>().LatencyAsync(CancellationToken.None);

        Assert.Equal(4, latency.Decided);
        Assert.Equal(2_500, latency.P50Milliseconds!.Value, 1);
        Assert.Equal(2, latency.PerMinute.Count);
        Assert.Equal([3_500d, 1_500d], latency.PerMinute.Select(b => Math.Round(b.P50Milliseconds)));
    }

    [Fact]
    public async Task The_ops_decision_and_webhook_failure_queries_read_by_index_in_a_large_history()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        await Database.ExecuteAsync($"""
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, occurred_at)
                 SELECT '{id}', 'VALIDATING', 'APPROVED', 'system', 'node', now() - interval '2 days' - n * interval '1 second' FROM generate_series(1, 30000) n;
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, occurred_at)
                 SELECT '{id}', 'PENDING', 'VALIDATING', 'system', 'node', now() - n * interval '1 second' FROM generate_series(1, 30000) n;
            INSERT INTO webhook_events (event_id, body_hash, event_type, application_id, outcome, status_code, received_at)
                 SELECT 'evt_' || n, '\x00', 'disbursement.completed', NULL, CASE WHEN n % 100 = 0 THEN 'rejected' ELSE 'processed' END, 200,
                        now() - n * interval '1 second' FROM generate_series(1, 30000) n;
            ANALYZE application_audit; ANALYZE webhook_events;
            """);

        var decisions = await PlanAsync(OpsQueries.DecisionsSql);
        var latency = await PlanAsync(OpsQueries.LatencySql);
        var failures = await PlanAsync(OpsQueries.WebhookFailuresSql);

        Assert.Contains("ix_application_audit_decisions", decisions, StringComparison.Ordinal);
        Assert.Contains("ix_application_audit_decisions", latency, StringComparison.Ordinal);
        Assert.Contains("ix_webhook_events_rejected", failures, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync(string sql)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Database.ConnectionString);
        await using var command = dataSource.CreateCommand($"EXPLAIN {sql}");
        command.Parameters.AddWithValue("window", OpsQueries.Window);
        var plan = new System.Text.StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }
        return plan.ToString();
    }
}
