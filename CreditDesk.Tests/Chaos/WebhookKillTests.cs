using System.Net;
using System.Net.Http.Json;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Chaos;

/// <summary>A node killed with deliveries in flight loses none of them, and no delivery overlaps another of itself.</summary>
[Trait("Category", "Chaos")]
public sealed class WebhookKillTests : IAsyncLifetime
{
    private const int Applications = 12;
    private readonly PostgresDatabase database = new();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();

    private static Dictionary<string, string?> Delivering(bool enabled) => new()
    {
        ["OutgoingWebhooks:Enabled"] = enabled ? "true" : "false",
        ["OutgoingWebhooks:Timeout"] = "00:00:03",
        ["OutgoingWebhooks:LeaseMargin"] = "00:00:01",
        ["OutgoingWebhooks:RetryBaseDelay"] = "00:00:00.100",
        ["OutgoingWebhooks:MaxRetryDelay"] = "00:00:00.500",
        ["OutgoingWebhooks:PollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task A_node_killed_mid_delivery_loses_no_event_another_node_delivers_them_after_the_lease_and_no_delivery_ever_overlaps_itself()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var slow = true;
        receiver.Respond = async (_, _, cancellationToken) =>
        {
            if (Volatile.Read(ref slow))
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            return 204;
        };
        // The front node takes the API and processes; only the victim delivers until it is killed.
        await using var front = AppProcess.Start(database.ConnectionString, "front", Delivering(enabled: false));
        var victim = AppProcess.Start(database.ConnectionString, "victim",
            new Dictionary<string, string?>(Delivering(enabled: true)) { ["Processing:Enabled"] = "false" });
        try
        {
            await front.WaitUntilReadyAsync();
            await victim.WaitUntilReadyAsync();
            await database.WaitForDevelopmentAccountsAsync();
            using var admin = front.Client(AppProcess.DevelopmentAdminKey);
            using var registered = await admin.PostAsJsonAsync("api/v1/webhook-endpoints",
                new { url = receiver.Url, event_types = new[] { "application.submitted", "application.decided" }, max_concurrency = 4 });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            using var applicant = front.Client(AppProcess.DevelopmentApplicantKey);
            for (var i = 0; i < Applications; i++)
            {
                using var created = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            await ChaosData.WaitUntilAsync(async () => await database.ScalarAsync<long>(
                "SELECT count(*) FROM webhook_deliveries WHERE claimed_by = 'victim' AND claimed_until > now()") >= 4,
                TimeSpan.FromSeconds(20), "the victim to have deliveries in flight");
            var inFlightAtKill = await database.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE claimed_by = 'victim' AND claimed_until > now()");
            await victim.KillAsync();
            Volatile.Write(ref slow, false);

            await using var successor = AppProcess.Start(database.ConnectionString, "successor", Delivering(enabled: true));
            await successor.WaitUntilReadyAsync();
            await ChaosData.WaitUntilAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'") == Applications * 2,
                TimeSpan.FromSeconds(30), "every event delivered");
            var received = receiver.Received;
            var answered = received.Where(r => r.Status == 204).Select(r => r.Id).Distinct().Count();
            var messageCount = await database.ScalarAsync<long>("SELECT count(*) FROM webhook_messages");

            ChaosReport.Verdict("kill -9 mid-delivery (outgoing webhooks)",
                inFlightAtKill >= 1 && messageCount == Applications * 2 && answered == messageCount && receiver.Overlaps == 0,
                $"{Applications} applications, {messageCount} events; {inFlightAtKill} deliveries in flight on the victim at the kill; "
                + $"after a successor node: {answered} events answered 2xx, {received.Count} requests in all, {receiver.Overlaps} overlapping attempts of one event");
        }
        finally
        {
            await victim.DisposeAsync();
        }
    }
}
