using System.Globalization;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Chaos;

/// <summary>
/// A chaos scenario's verdict: one line "PASS|FAIL scenario: counts", appended to <c>$CREDITDESK_CHAOS_OUT/chaos.txt</c>
/// (what <c>./build.sh chaos</c> prints), then asserted, so a FAIL is also a failed test.
/// </summary>
public static class ChaosReport
{
    private static readonly Lock Gate = new();

    public static void Verdict(string scenario, bool passed, string counts)
    {
        var line = $"{(passed ? "PASS" : "FAIL")} {scenario}: {counts}";
        if (Environment.GetEnvironmentVariable("CREDITDESK_CHAOS_OUT") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            lock (Gate)
            {
                File.AppendAllText(Path.Combine(folder, "chaos.txt"), line + Environment.NewLine);
            }
        }
        Assert.True(passed, line);
    }
}

/// <summary>What an auditor checks after a fault, straight from the tables.</summary>
public sealed record PipelineIntegrity(long Applications, long Decided, long Undecided, long DecidedTwice, long Lost, long OutboxLeft, long DeadLetters)
{
    private static readonly string DecidedStatuses = "('APPROVED', 'REJECTED', 'UNDER_REVIEW')";

    public static async Task<PipelineIntegrity> ReadAsync(PostgresDatabase database) => new(
        await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"),
        await database.ScalarAsync<long>($"SELECT count(*) FROM credit_applications WHERE status IN {DecidedStatuses}"),
        await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications WHERE status IN ('PENDING', 'VALIDATING')"),
        // A decision is the audit row that leaves VALIDATING; two of them for one application is a double decision.
        await database.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT application_id FROM application_audit WHERE from_status = 'VALIDATING'
                                  GROUP BY application_id HAVING count(*) > 1) twice
            """),
        // Undecided with no outbox row: nothing would ever process it.
        await database.ScalarAsync<long>("""
            SELECT count(*) FROM credit_applications a WHERE a.status IN ('PENDING', 'VALIDATING')
               AND NOT EXISTS (SELECT 1 FROM application_outbox o WHERE o.application_id = a.id)
            """),
        await database.ScalarAsync<long>("SELECT count(*) FROM application_outbox"),
        await database.ScalarAsync<long>("SELECT count(*) FROM dead_letters"));

    /// <summary>Every application decided, exactly once, nothing left behind.</summary>
    public bool IsClean(long expected) =>
        Applications == expected && Decided == expected && Undecided == 0 && DecidedTwice == 0 && Lost == 0 && OutboxLeft == 0 && DeadLetters == 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Applications} applications, {Decided} decided, {DecidedTwice} decided twice, {Undecided} undecided, {Lost} lost, {OutboxLeft} outbox rows left, {DeadLetters} dead letters");

    /// <summary>Polls until nothing is undecided (or the timeout), then reads the final state.</summary>
    public static async Task<PipelineIntegrity> WhenSettledAsync(PostgresDatabase database, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline
               && await database.ScalarAsync<long>("SELECT count(*) FROM credit_applications WHERE status IN ('PENDING', 'VALIDATING')") > 0)
        {
            await Task.Delay(100);
        }
        return await ReadAsync(database);
    }
}
