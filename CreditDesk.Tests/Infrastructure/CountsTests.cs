using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

public sealed class CountsTests : IAsyncLifetime
{
    private static readonly Caller Staff = new("officer-1", Roles.Officer);
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    [Fact]
    public async Task Staff_counts_per_status_match_the_table_and_are_shared_for_one_window_while_an_applicants_own_are_always_fresh()
    {
        await using var node = await PipelineHost.StartAsync(database.ConnectionString);
        var submission = node.Get<ApplicationSubmission>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (i, _) =>
            await submission.SubmitAsync((i % 3) switch { 0 => ApplicationTestData.Colombian(), 1 => ApplicationTestData.Spanish(), _ => ApplicationTestData.Brazilian() }));
        await database.WaitUntilDecidedAsync(TimeSpan.FromSeconds(30), 60);
        var queries = node.Get<ApplicationQueries>();

        var spain = await queries.CountByStatusAsync(Staff, new ApplicationFilter(Country: "ES", Status: "APPROVED"), CancellationToken.None);
        var spainCounted = await CountsAsync("SELECT status, count(*) FROM credit_applications WHERE country = 'ES' GROUP BY 1");
        var all = await queries.CountByStatusAsync(Staff, new ApplicationFilter(), CancellationToken.None);
        var result = await submission.SubmitAsync(ApplicationTestData.Spanish(), "test", applicantUserId: "applicant-7", CancellationToken.None);
        var sameWindow = await queries.CountByStatusAsync(new Caller("officer-2", Roles.Officer), new ApplicationFilter(), CancellationToken.None);
        var own = await queries.CountByStatusAsync(new Caller("applicant-7", Roles.Applicant), new ApplicationFilter(), CancellationToken.None);
        await Task.Delay(ApplicationQueries.CountsWindow + TimeSpan.FromMilliseconds(100));
        var nextWindow = await queries.CountByStatusAsync(Staff, new ApplicationFilter(), CancellationToken.None);

        Assert.IsType<SubmissionResult.Created>(result);
        Assert.Equal(spainCounted.OrderBy(p => p.Key), spain.OrderBy(p => p.Key));
        Assert.Equal(60, all.Values.Sum());
        Assert.Same(all, sameWindow);
        Assert.Equal(1, own.Values.Sum());
        Assert.Equal(61, nextWindow.Values.Sum());
    }

    private async Task<Dictionary<string, long>> CountsAsync(string sql) =>
        (await database.ListAsync(sql, r => (r.GetString(0), r.GetInt64(1)))).ToDictionary(p => p.Item1, p => p.Item2);
}
