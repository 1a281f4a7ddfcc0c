using CreditDesk.Infrastructure.Applications;
using CreditDesk.Infrastructure.Events;
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

    [Fact]
    public async Task The_stored_row_holds_neither_the_full_name_nor_the_document_in_clear()
    {
        var form = ApplicationTestData.Colombian() with { FullName = "Zacarías Plaintextovich" };
        await node.Get<ApplicationSubmission>().SubmitAsync(form);

        var dump = string.Join("\n", await database.ListAsync(
            "SELECT row_to_json(a)::text FROM credit_applications a UNION ALL SELECT row_to_json(x)::text FROM application_audit x " +
            "UNION ALL SELECT row_to_json(o)::text FROM application_outbox o", r => r.GetString(0)));
        var bytes = string.Join("\n", await database.ListAsync(
            "SELECT encode(full_name_cipher, 'escape') || encode(document_cipher, 'escape') FROM credit_applications", r => r.GetString(0)));

        Assert.DoesNotContain("Plaintextovich", dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(form.Document!, dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Plaintextovich", bytes, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(form.Document!, bytes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_published_by_one_node_reaches_a_subscriber_on_another()
    {
        await using var otherNode = await PipelineHost.StartAsync(database.ConnectionString);
        using var subscription = otherNode.Get<ApplicationEventHub>().Subscribe();

        var id = await node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        while (!seen.Contains("PENDING") || !seen.Any(s => s is "APPROVED" or "REJECTED" or "UNDER_REVIEW"))
        {
            var change = await subscription.Reader.ReadAsync(timeout.Token);
            if (change.Id == id)
            {
                seen.Add(change.Status);
            }
        }
        Assert.Equal("PENDING", seen[0]);
        Assert.Contains("VALIDATING", seen);
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
