using CreditDesk.Infrastructure.Access;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Infrastructure;

/// <summary>An application's audit and bank events are read up to a bound, latest first kept, oldest first shown.</summary>
public sealed class BoundedListsTests : QuietNode
{
    [Fact]
    public async Task A_storm_of_audit_rows_and_bank_events_for_one_application_reads_back_only_the_latest_bound_in_order()
    {
        var id = await Node.Get<ApplicationSubmission>().SubmitAsync(ApplicationTestData.Colombian());
        await Database.ExecuteAsync($"""
            INSERT INTO application_audit (application_id, from_status, to_status, actor, actor_id, reason, occurred_at)
                 SELECT '{id}', 'UNDER_REVIEW', 'UNDER_REVIEW', 'admin', 'admin-1', 'note ' || n, now() + n * interval '1 second' FROM generate_series(1, 1000) n;
            INSERT INTO webhook_events (event_id, body_hash, event_type, application_id, outcome, status_code, received_at)
                 SELECT 'evt_' || n, '\x00', 'account.verified', '{id}', 'processed', 200, now() + n * interval '1 second' FROM generate_series(1, 1000) n;
            """);
        var queries = Node.Get<ApplicationQueries>();

        var audit = await queries.AuditAsync(new Caller("admin-1", Roles.Admin), id, CancellationToken.None);
        var events = await queries.WebhookEventsAsync(id, CancellationToken.None);

        Assert.Equal(ApplicationQueries.ListBound, audit!.Count);
        Assert.Equal("note 1000", audit[^1].Reason);
        Assert.True(audit.Zip(audit.Skip(1)).All(pair => pair.First.OccurredAt <= pair.Second.OccurredAt));
        Assert.Equal(ApplicationQueries.ListBound, events.Count);
        Assert.Equal("evt_1000", events[^1].EventId);
    }
}
