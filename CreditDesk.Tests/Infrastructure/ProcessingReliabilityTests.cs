using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Bureaus;
using CreditDesk.Infrastructure.Processing;
using CreditDesk.Tests.Support;
using Polly.CircuitBreaker;

namespace CreditDesk.Tests.Infrastructure;

public sealed class ProcessingReliabilityTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> NoProcessing = new() { ["Processing:Enabled"] = "false" };
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task A_claim_whose_lease_expired_is_processed_exactly_once_by_another_node()
    {
        Guid id;
        await using (var intake = await PipelineHost.StartAsync(database.ConnectionString, NoProcessing))
        {
            id = await intake.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        }
        // A node claimed the row, moved the application to VALIDATING, then died: its lease ran out a second ago.
        await database.ExecuteAsync($"""
            UPDATE application_outbox SET claimed_by = 'crashed-node', claimed_until = now() - interval '1 second', attempts = 1;
            UPDATE credit_applications SET status = 'VALIDATING' WHERE id = '{id}';
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at)
            VALUES ('{id}', 'PENDING', 'VALIDATING', 'system', 'crashed-node', 'Processing started', now());
            """);

        var documentCipher = (await database.ListAsync($"SELECT document_cipher FROM credit_applications WHERE id = '{id}'", r => r.GetFieldValue<byte[]>(0)))[0];
        await using var survivor = await PipelineHost.StartAsync(database.ConnectionString);
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(10), expectedCount: 1);

        // The crashed node comes back and tries to finish its old claim: nothing happens.
        var lateClaim = new ClaimedApplication(new OutboxItem(1, id, 1, null), "VALIDATING", "CO",
            new CreditDesk.Domain.Decisions.LoanRequest(5_000_000m, 4_000_000m, 36), documentCipher, "k1", null, DateTimeOffset.UtcNow);
        await ProcessorOf(survivor, "crashed-node").ProcessAsync(lateClaim, CancellationToken.None);

        Assert.Equal(1L, await database.ScalarAsync<long>(
            $"SELECT count(*) FROM application_audit WHERE application_id = '{id}' AND from_status = 'VALIDATING'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM application_outbox"));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM decisions WHERE application_id = '{id}'"));
    }

    [Fact]
    public async Task A_decision_handed_to_the_database_while_the_drain_is_being_stopped_is_committed_and_published()
    {
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, NoProcessing);
        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        // This node has claimed the application (as the drain does), and another session holds the application's row.
        await database.ExecuteAsync($"""
            UPDATE application_outbox SET claimed_by = 'stopping-node', claimed_until = now() + interval '1 minute', attempts = 1;
            UPDATE credit_applications SET status = 'VALIDATING' WHERE id = '{id}';
            """);
        var claimed = (await database.ListAsync($"""
            SELECT o.id, a.document_cipher, a.pii_key_id FROM application_outbox o JOIN credit_applications a ON a.id = o.application_id WHERE a.id = '{id}'
            """, r => new ClaimedApplication(new OutboxItem(r.GetInt64(0), id, 1, null), "VALIDATING", "CO",
                new CreditDesk.Domain.Decisions.LoanRequest(5_000_000m, 4_000_000m, 36), r.GetFieldValue<byte[]>(1), r.GetString(2), null, DateTimeOffset.UtcNow)))[0];
        using var published = node.Get<CreditDesk.Infrastructure.Events.ApplicationEventHub>().Subscribe();
        await using var holder = await RowLock.TakeAsync(database, id);
        using var stopping = new CancellationTokenSource();

        var processing = ProcessorOf(node, "stopping-node").ProcessAsync(claimed, stopping.Token);
        await RowLock.WaitForWaitersAsync(database, "DELETE FROM application_outbox", 1);
        await stopping.CancelAsync();
        await holder.CommitAsync();

        // The decision was already in the database's hands: the drain sees it through, and its screens hear of it.
        await processing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual("VALIDATING", await database.ScalarAsync<string>($"SELECT status FROM credit_applications WHERE id = '{id}'"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (await published.Reader.ReadAsync(timeout.Token) is var change && !(change.Id == id && change.PreviousStatus == "VALIDATING"))
        {
        }
    }

    /// <summary>The host's processor as a node named <paramref name="nodeId"/> (whose claims it finishes).</summary>
    private static ApplicationProcessor ProcessorOf(PipelineHost host, string nodeId) => new(
        host.Get<Npgsql.NpgsqlDataSource>(), host.Get<CreditDesk.Infrastructure.Pii.PiiCipher>(), host.Get<ResilientBureau>(),
        new NodeIdentity(nodeId), host.Get<LoanCatalogue>(), host.Get<DecisionWriter>(),
        host.Get<CreditDesk.Infrastructure.Events.LiveEvents>(), TimeProvider.System);

    [Fact]
    public async Task Two_nodes_with_their_own_schedulers_on_one_database_decide_1000_applications_each_exactly_once()
    {
        const int count = 1_000;
        await using var nodeA = await PipelineHost.StartAsync(database.ConnectionString);
        await using var nodeB = await PipelineHost.StartAsync(database.ConnectionString);
        var submitA = nodeA.Get<ApplicationSubmission>();
        var submitB = nodeB.Get<ApplicationSubmission>();

        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => await (i % 2 == 0 ? submitA : submitB).SubmitAsync(ApplicationTestData.Colombian()));
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(60), count);

        var decisionsPerApplication = await database.ListAsync("""
            SELECT count(*) FILTER (WHERE from_status = 'VALIDATING'), count(*) FILTER (WHERE to_status = 'VALIDATING')
              FROM application_audit GROUP BY application_id
            """, r => (Decisions: r.GetInt64(0), Validations: r.GetInt64(1)));
        Assert.Equal(count, decisionsPerApplication.Count);
        Assert.All(decisionsPerApplication, row => Assert.Equal((1L, 1L), row));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM application_outbox"));
        // And exactly one decision record each: the record is written in the statement that decides, never twice.
        Assert.Equal((long)count, await database.ScalarAsync<long>("SELECT count(DISTINCT application_id) FROM decisions"));
        Assert.Equal((long)count, await database.ScalarAsync<long>("SELECT count(*) FROM decisions"));
    }

    [Fact]
    public async Task A_bureau_failing_every_call_opens_its_circuit_and_sends_applications_to_review_until_it_recovers()
    {
        await using var node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Bureaus:Resilience:MinimumThroughput"] = "3",
            ["Bureaus:Resilience:BreakDuration"] = "00:00:01",
            ["Bureaus:Resilience:MaxRetryAttempts"] = "1",
        });
        var colombia = CountryRegistry.Get("CO");
        var faults = node.Get<BureauFaultSettings>();
        var bureau = node.Get<ResilientBureau>();
        var submission = node.Get<ApplicationSubmission>();
        faults.Set("CO", new BureauFaults(TimeSpan.Zero, FailureRate: 1.0));

        for (var i = 0; i < 5; i++)
        {
            await submission.SubmitAsync(ApplicationTestData.Colombian());
        }
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(10), 5);

        Assert.Equal(CircuitState.Open, bureau.CircuitState(colombia));
        Assert.Equal([("UNDER_REVIEW", "true")], (await database.ListAsync(
            "SELECT DISTINCT status, bureau_report->>'is_fallback' FROM credit_applications", r => (r.GetString(0), r.GetString(1)))));

        faults.Set("CO", BureauFaults.None);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var healthy = await submission.SubmitAsync(ApplicationTestData.Colombian());
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(10), 6);

        Assert.Equal(CircuitState.Closed, bureau.CircuitState(colombia));
        Assert.Equal("false", await database.ScalarAsync<string>($"SELECT bureau_report->>'is_fallback' FROM credit_applications WHERE id = '{healthy}'"));
    }

    [Fact]
    public async Task A_poison_application_ends_in_dead_letters_after_the_configured_attempts_with_its_error()
    {
        Guid id;
        await using (var intake = await PipelineHost.StartAsync(database.ConnectionString, NoProcessing))
        {
            id = await intake.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        }
        // Corrupt ciphertext: decrypting the document fails on every attempt.
        await database.ExecuteAsync($"UPDATE credit_applications SET document_cipher = '\\xdeadbeef'::bytea || document_cipher WHERE id = '{id}'");

        await using var node = await PipelineHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Processing:MaxAttempts"] = "3",
        });
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(20), 1);

        var deadLetter = Assert.Single(await database.ListAsync("SELECT application_id, attempts, error FROM dead_letters",
            r => (Id: r.GetGuid(0), Attempts: r.GetInt32(1), Error: r.GetString(2))));
        Assert.Equal(id, deadLetter.Id);
        Assert.Equal(3, deadLetter.Attempts);
        Assert.Contains("AuthenticationTagMismatch", deadLetter.Error, StringComparison.Ordinal);
        Assert.Equal("UNDER_REVIEW", await database.StatusAsync(id));
        Assert.Contains("Processing failed after 3 attempts", await database.ScalarAsync<string>(
            $"SELECT reason FROM application_audit WHERE application_id = '{id}' AND to_status = 'UNDER_REVIEW'"), StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM application_outbox"));
    }
}
