using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Operations;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

public sealed class OpsQueriesTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();
    private PipelineHost node = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Processing:Enabled"] = "false" });
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Queue_depth_is_the_number_of_due_outbox_rows_and_rows_waiting_to_retry_are_counted_apart()
    {
        var submission = node.Get<ApplicationSubmission>();
        for (var i = 0; i < 7; i++)
        {
            await submission.SubmitAsync(ApplicationTestData.Colombian());
        }
        await database.ExecuteAsync(
            "UPDATE application_outbox SET available_at = now() + interval '1 hour' WHERE id IN (SELECT id FROM application_outbox ORDER BY id LIMIT 2)");

        var queue = await node.Get<OpsQueries>().QueueAsync(CancellationToken.None);

        Assert.Equal(await database.ScalarAsync<long>("SELECT count(*) FROM application_outbox WHERE available_at <= now()"), queue.Due);
        Assert.Equal(5, queue.Due);
        Assert.Equal(2, queue.Waiting);
        Assert.NotNull(queue.OldestDueAge);
    }

    [Fact]
    public async Task Retrying_a_dead_letter_assesses_the_application_again_as_the_admin_and_closes_the_letter()
    {
        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian(income: 1_000_000m));
        await database.ExecuteAsync($"""
            DELETE FROM application_outbox;
            UPDATE credit_applications SET status = 'UNDER_REVIEW' WHERE id = '{id}';
            INSERT INTO dead_letters (application_id, attempts, error, failed_at) VALUES ('{id}', 5, 'NpgsqlException: boom', now());
            """);
        var letter = Assert.Single(await node.Get<OpsQueries>().OpenDeadLettersAsync(CancellationToken.None));

        var outcome = await node.Get<DeadLetters>().RetryAsync(letter.Id, "dev-admin", CancellationToken.None);

        Assert.Equal("Ops.Retry.Decided", outcome.Key);
        Assert.Equal(["REJECTED"], outcome.Values);
        Assert.Equal("REJECTED", await database.StatusAsync(id));
        Assert.Equal("admin", await database.ScalarAsync<string>($"SELECT actor FROM application_audit WHERE application_id = '{id}' AND to_status = 'REJECTED'"));
        Assert.Empty(await node.Get<OpsQueries>().OpenDeadLettersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Latency_is_given_for_the_window_and_minute_by_minute_from_submit_to_decision()
    {
        var submission = node.Get<ApplicationSubmission>();
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await submission.SubmitAsync(ApplicationTestData.Colombian()));
        }
        // Decided 1, 2, 3 and 4 seconds after submission, two minutes apart.
        await database.ExecuteAsync(string.Join(";", ids.Select((id, i) => $"""
            UPDATE credit_applications SET created_at = date_trunc('minute', now()) - interval '{2 * (i / 2)} minutes',
                   decided_at = date_trunc('minute', now()) - interval '{2 * (i / 2)} minutes' + interval '{i + 1} seconds', status = 'APPROVED'
             WHERE id = '{id}'
            """)));

        var latency = await node.Get<OpsQueries>().LatencyAsync(CancellationToken.None);

        Assert.Equal(4, latency.Decided);
        Assert.Equal(2_500, latency.P50Milliseconds!.Value, 1);
        Assert.Equal(2, latency.PerMinute.Count);
        Assert.Equal([3_500d, 1_500d], latency.PerMinute.Select(b => Math.Round(b.P50Milliseconds)));
    }
}
