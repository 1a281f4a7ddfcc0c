using System.Net;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Chaos;

[Trait("Category", "ChaosSlow")]
public sealed class DatabaseOutageTests
{
    private const int Backlog = 3_000;

    [Fact]
    public async Task PostgreSQL_stopped_for_15_seconds_mid_drain_loses_nothing_answers_503_meanwhile_and_the_node_recovers_by_itself()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var database = new PostgresDatabase(cluster.ConnectionString("postgres"));
        await database.InitializeAsync();
        await ChaosData.SubmitBacklogAsync(database, Backlog);
        await using var node = AppProcess.Start(database.ConnectionString, "chaos-outage", ChaosData.SlowBureau(latencyMilliseconds: 20));
        await node.WaitUntilReadyAsync();
        await ChaosData.WaitUntilAsync(async () => await ChaosData.DecidedAsync(database) >= Backlog / 4, TimeSpan.FromSeconds(90), "a quarter decided");

        var decidedBefore = await ChaosData.DecidedAsync(database);
        await cluster.StopServerAsync();
        var outageStarted = DateTime.UtcNow;
        using var applicant = node.Client(AppProcess.DevelopmentApplicantKey);
        applicant.Timeout = TimeSpan.FromSeconds(20);
        var readyDuring = await StatusAsync(applicant, "health/ready");
        var liveDuring = await StatusAsync(applicant, "health/live");
        using var submitDuring = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
        var submitDuringStatus = (int)submitDuring.StatusCode;
        var retryAfter = submitDuring.Headers.RetryAfter is not null;
        await Task.Delay(TimeSpan.FromSeconds(15) - (DateTime.UtcNow - outageStarted));
        await cluster.StartServerAsync();
        // This test's own pooled connections were cut by the stop as well.
        using (var pooled = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            Npgsql.NpgsqlConnection.ClearPool(pooled);
        }

        await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        using var submitAfter = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
        var final = await PipelineIntegrity.WhenSettledAsync(database, TimeSpan.FromSeconds(120));
        await node.StopAsync();

        ChaosReport.Verdict("PostgreSQL stopped 15 s mid-drain",
            final.IsClean(Backlog + 1) && readyDuring == 503 && liveDuring == 200 && submitDuringStatus == 503 && retryAfter
                && submitAfter.StatusCode == HttpStatusCode.Created,
            $"{Backlog} submitted, {decidedBefore} decided before the stop; during the outage ready {readyDuring}, live {liveDuring}, "
            + $"a submission {submitDuringStatus}{(retryAfter ? " with Retry-After" : "")}; after: a submission {(int)submitAfter.StatusCode}, {final}");
    }

    private static async Task<int> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (int)response.StatusCode;
    }

}
