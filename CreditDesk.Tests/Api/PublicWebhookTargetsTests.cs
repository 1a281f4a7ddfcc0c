using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditDesk.Infrastructure.Webhooks.Outgoing;
using CreditDesk.Tests.Chaos;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.Options;

namespace CreditDesk.Tests.Api;

/// <summary>The desk as outside Development: endpoints must be https and public.</summary>
public sealed class PublicTargetsFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OutgoingWebhooks:RequirePublicHttps"] = "true",
        ["OutgoingWebhooks:Timeout"] = "00:00:01",
        ["OutgoingWebhooks:RetryBaseDelay"] = "00:00:00.100",
        ["OutgoingWebhooks:MaxRetryDelay"] = "00:00:00.200",
        ["OutgoingWebhooks:PollInterval"] = "00:00:00.200",
    };
}

/// <summary>Outside Development, events go only to https URLs whose addresses are public, when registered and on every connection.</summary>
public sealed class PublicWebhookTargetsTests(PublicTargetsFixture api) : IClassFixture<PublicTargetsFixture>
{
    [Theory]
    [InlineData("http://93.184.216.34/hooks", "must use https")]
    [InlineData("https://127.0.0.1/hooks", "loopback, private or link-local")]
    [InlineData("https://localhost/hooks", "loopback, private or link-local")]
    [InlineData("https://[::1]/hooks", "loopback, private or link-local")]
    [InlineData("https://10.0.0.5/hooks", "loopback, private or link-local")]
    [InlineData("https://172.20.1.1/hooks", "loopback, private or link-local")]
    [InlineData("https://192.168.1.10/hooks", "loopback, private or link-local")]
    [InlineData("https://169.254.169.254/latest/meta-data", "loopback, private or link-local")]
    [InlineData("https://[fd00::1]/hooks", "loopback, private or link-local")]
    [InlineData("https://[::ffff:10.0.0.1]/hooks", "loopback, private or link-local")]
    public async Task An_endpoint_that_is_not_https_or_resolves_inward_is_refused_with_a_422(string url, string says)
    {
        using var admin = api.Client(ApiFixture.AdminKey);
        using var response = await admin.PostAsJsonAsync("api/v1/webhook-endpoints", new { url, event_types = new[] { "application.decided" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await ApiFixture.JsonAsync(response)).GetProperty("errors").GetProperty("url");
        Assert.Contains(says, errors[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_endpoints WHERE url = '{url}'"));
    }

    [Fact]
    public async Task A_public_https_endpoint_is_accepted()
    {
        var targets = new WebhookTargets(Options.Create(new OutgoingWebhookOptions { RequirePublicHttps = true }));
        Assert.Null(await targets.RefuseAsync("https://93.184.216.34/hooks", CancellationToken.None));
        Assert.Null(await targets.RefuseAsync("https://[2606:2800:220:1:248:1893:25c8:1946]/hooks", CancellationToken.None));
    }

    [Fact]
    public async Task An_endpoint_whose_address_turns_private_after_registration_is_never_connected_to()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = api.Client(ApiFixture.AdminKey);
        using var created = await admin.PostAsJsonAsync("api/v1/webhook-endpoints",
            new { url = "https://93.184.216.34/hooks", event_types = new[] { "application.submitted" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = (await ApiFixture.JsonAsync(created)).GetProperty("id").GetGuid();
        // As if its name now resolved to this machine (DNS rebinding): the connection itself is refused.
        await api.Database.ExecuteAsync($"UPDATE webhook_endpoints SET url = 'https://127.0.0.1:{receiver.Port}/hooks' WHERE id = '{endpoint}'");

        using var applicant = api.Client(ApiFixture.ApplicantKey);
        using var submitted = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);

        await ChaosData.WaitUntilAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM webhook_attempts WHERE endpoint_id = '{endpoint}'") >= 2, TimeSpan.FromSeconds(5), "two refused attempts");
        var log = await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}/deliveries");
        Assert.Contains("no public address", log[0].GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
        using var deleted = await admin.DeleteAsync($"api/v1/webhook-endpoints/{endpoint}");
    }
}
