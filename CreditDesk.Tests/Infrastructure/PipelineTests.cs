using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;
using Npgsql;

namespace CreditDesk.Tests.Infrastructure;

public sealed class PipelineTests : IAsyncLifetime
{
    private readonly PostgresDatabase database = new();
    private PipelineHost node = default!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        node = await PipelineHost.StartAsync(database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_submitted_application_is_decided_within_5_seconds_with_an_audit_trail_by_the_system()
    {
        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());

        var status = await WaitForDecisionAsync(id, TimeSpan.FromSeconds(5));

        Assert.Contains(status, new[] { "APPROVED", "REJECTED", "UNDER_REVIEW" });
        var trail = await AuditTrailAsync(id);
        Assert.Equal(["-> PENDING by applicant", "PENDING -> VALIDATING by system", $"VALIDATING -> {status} by system"], trail);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM application_outbox"));
    }

    private async Task<string> WaitForDecisionAsync(Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await database.ScalarAsync<string>($"SELECT status FROM credit_applications WHERE id = '{id}'");
            if (status is "APPROVED" or "REJECTED" or "UNDER_REVIEW")
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Application {id} still {status} after {timeout}");
            await Task.Delay(20);
        }
    }

    private async Task<List<string>> AuditTrailAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(from_status || ' ', '') || '-> ' || to_status || ' by ' || actor FROM application_audit WHERE application_id = @id ORDER BY id", connection);
        command.Parameters.AddWithValue("id", id);
        var trail = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            trail.Add(reader.GetString(0));
        }
        return trail;
    }
}
