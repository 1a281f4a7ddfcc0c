using CreditDesk.Infrastructure.Processing;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>Issue #18: the drain's decisions are committed in groups, and one failing decision fails only itself.</summary>
public sealed class DecisionWriterTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();
    private PipelineHost node = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        node = await PipelineHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Processing:Enabled"] = "false", ["Processing:DecisionWriters"] = "1" });
        await database.ExecuteAsync("CREATE TABLE writer_probe (n int PRIMARY KEY, tx bigint NOT NULL)");
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>A statement shaped like a decision's (its result is the moved columns, here none) that records its transaction.</summary>
    private Task<CreditDesk.Infrastructure.Events.ApplicationChanged?> WriteAsync(int n, double sleepSeconds = 0) =>
        node.Get<DecisionWriter>().WriteAsync("""
            WITH slow AS (SELECT pg_sleep(@sleep)),
                 probe AS (INSERT INTO writer_probe (n, tx) SELECT @n, txid_current() / (CASE WHEN @n = 7 THEN 0 ELSE 1 END) FROM slow RETURNING n)
            SELECT NULL::uuid, NULL::text, NULL::int, NULL::text, NULL::timestamptz FROM probe WHERE false
            """, parameters =>
            {
                parameters.AddWithValue("n", n);
                parameters.AddWithValue("sleep", sleepSeconds);
            }, "VALIDATING", "APPROVED", CancellationToken.None);

    [Fact]
    public async Task Decisions_handed_over_while_one_commits_are_committed_together_in_one_transaction()
    {
        // The first write holds its transaction open for 300 ms; the 40 handed over meanwhile go in the next one.
        var first = WriteAsync(0, sleepSeconds: 0.3);
        var rest = Enumerable.Range(100, 40).Select(n => WriteAsync(n)).ToList();

        await first;
        await Task.WhenAll(rest);

        Assert.Equal(41L, await database.ScalarAsync<long>("SELECT count(*) FROM writer_probe"));
        Assert.InRange(await database.ScalarAsync<long>("SELECT count(DISTINCT tx) FROM writer_probe"), 1L, 2L);
        Assert.All(rest, write => Assert.Null(write.Result));
    }

    [Fact]
    public async Task A_decision_failing_inside_a_group_fails_alone_and_every_other_decision_of_the_group_is_committed()
    {
        var first = WriteAsync(0, sleepSeconds: 0.3);
        var rest = Enumerable.Range(1, 20).ToDictionary(n => n, n => WriteAsync(n));

        await first;
        var failure = await Assert.ThrowsAsync<PostgresException>(() => rest[7]);

        Assert.Equal(PostgresErrorCodes.DivisionByZero, failure.SqlState);
        await Task.WhenAll(rest.Where(pair => pair.Key != 7).Select(pair => pair.Value));
        Assert.Equal(
            Enumerable.Range(0, 21).Where(n => n != 7).ToList(),
            await database.ListAsync("SELECT n FROM writer_probe ORDER BY n", reader => reader.GetInt32(0)));
        // And the writer goes on: a later decision is committed as usual.
        await WriteAsync(500);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM writer_probe WHERE n = 500"));
    }
}
