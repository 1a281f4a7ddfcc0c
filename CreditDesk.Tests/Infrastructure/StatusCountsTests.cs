using CreditDesk.Domain.Applications;
using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

public sealed class StatusCountsTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task The_counters_the_grid_reads_equal_a_count_of_the_table_after_concurrent_submissions_decisions_and_transitions()
    {
        await using var node = await PipelineHost.StartAsync(database.ConnectionString);
        var submission = node.Get<ApplicationSubmission>();
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (i, _) =>
            ids.Add(await submission.SubmitAsync((i % 3) switch { 0 => ApplicationTestData.Colombian(), 1 => ApplicationTestData.Spanish(), _ => ApplicationTestData.Brazilian() })));
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(30), 120);
        var changes = node.Get<StatusChanges>();
        var underReview = await database.ListAsync("SELECT id FROM credit_applications WHERE status = 'UNDER_REVIEW'", r => r.GetGuid(0));
        await Task.WhenAll(underReview.Select(id => changes.ChangeAsync(id, ApplicationStatus.Approved, Actor.Admin, "admin-1", "Checked", CancellationToken.None)));

        var counted = await CountsAsync("SELECT country || ':' || status, count(*) FROM credit_applications GROUP BY 1");
        var counters = await CountsAsync("SELECT country || ':' || status, sum(count)::bigint FROM application_status_counts GROUP BY 1 HAVING sum(count) <> 0");
        var queries = node.Get<ApplicationQueries>();
        var staff = new Caller("officer-1", Roles.Officer);
        var all = await queries.CountByStatusAsync(staff, new ApplicationFilter(), CancellationToken.None);
        var spain = await queries.CountByStatusAsync(staff, new ApplicationFilter(Country: "ES", Status: "APPROVED"), CancellationToken.None);
        var spainCounted = await CountsAsync("SELECT status, count(*) FROM credit_applications WHERE country = 'ES' GROUP BY 1");

        Assert.Equal(counted.OrderBy(p => p.Key), counters.OrderBy(p => p.Key));
        Assert.Equal(120, all.Values.Sum());
        Assert.Equal(spainCounted.OrderBy(p => p.Key), spain.OrderBy(p => p.Key));
    }

    private async Task<Dictionary<string, long>> CountsAsync(string sql) =>
        (await database.ListAsync(sql, r => (r.GetString(0), r.GetInt64(1)))).ToDictionary(p => p.Item1, p => p.Item2);
}
