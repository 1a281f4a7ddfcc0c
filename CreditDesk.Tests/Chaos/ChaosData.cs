using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Chaos;

internal static class ChaosData
{
    public static readonly Dictionary<string, string?> NoProcessing = new() { ["Processing:Enabled"] = "false" };

    /// <summary>Migrates the database and leaves <paramref name="count"/> PENDING applications with their outbox rows.</summary>
    public static async Task SubmitBacklogAsync(PostgresDatabase database, int count)
    {
        await using var intake = await PipelineHost.StartAsync(database.ConnectionString, NoProcessing);
        var submission = intake.Get<ApplicationSubmission>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (_, _) => await submission.SubmitAsync(ApplicationTestData.Colombian()));
    }

    /// <summary>A valid Colombian application as the API takes it, with a document never used before.</summary>
    public static StringContent ColombianJson() => new(
        $$"""{"country":"CO","full_name":"Valentina Torres","document":"{{ApplicationTestData.NextCedula()}}","amount":"5000000","monthly_income":"4000000","term_months":24}""",
        System.Text.Encoding.UTF8, "application/json");

    /// <summary>Settings for a processing node in a drill: a slow bureau keeps work in flight, a short lease lets a survivor take over.</summary>
    public static Dictionary<string, string?> SlowBureau(int latencyMilliseconds) => new()
    {
        ["Bureaus:Faults:CO:Latency"] = TimeSpan.FromMilliseconds(latencyMilliseconds).ToString(),
        ["Processing:Lease"] = "00:00:03",
    };

    public static Task<long> DecidedAsync(PostgresDatabase database) =>
        database.ScalarAsync<long>("SELECT count(*) FROM credit_applications WHERE status IN ('APPROVED', 'REJECTED', 'UNDER_REVIEW')");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(20);
        }
    }
}
