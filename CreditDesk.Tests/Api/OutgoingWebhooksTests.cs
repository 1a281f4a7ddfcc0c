using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditDesk.Infrastructure.Webhooks.Outgoing;
using CreditDesk.Tests.Chaos;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Api;

/// <summary>Fast retries and a 1 s attempt timeout, so retry behaviour shows within a test.</summary>
public sealed class OutgoingWebhooksFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OutgoingWebhooks:Timeout"] = "00:00:01",
        ["OutgoingWebhooks:LeaseMargin"] = "00:00:01",
        ["OutgoingWebhooks:RetryBaseDelay"] = "00:00:00.100",
        ["OutgoingWebhooks:MaxRetryDelay"] = "00:00:00.400",
        ["OutgoingWebhooks:PollInterval"] = "00:00:00.200",
    };
}

/// <summary>
/// Outgoing events (Standard Webhooks) to a real HTTP receiver started by the test: registration through the API,
/// signatures checked with the specification's reference library, retries, order per application, concurrency limits,
/// re-delivery by hand, rotation, disabling, and who may do any of it.
/// </summary>
public sealed class OutgoingWebhooksTests(OutgoingWebhooksFixture api) : IClassFixture<OutgoingWebhooksFixture>
{
    private static readonly string[] AllTypes = ["application.submitted", "application.decided", "application.status_changed", "application.disbursed"];

    private async Task<(Guid Id, string Secret)> RegisterAsync(WebhookReceiver receiver, string[]? types = null, int? maxConcurrency = null)
    {
        using var admin = api.Client(ApiFixture.AdminKey);
        using var created = await admin.PostAsJsonAsync("api/v1/webhook-endpoints",
            new { url = receiver.Url, event_types = types ?? AllTypes, description = "test receiver", max_concurrency = maxConcurrency });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ApiFixture.JsonAsync(created);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private async Task DeleteAsync(Guid endpoint)
    {
        using var admin = api.Client(ApiFixture.AdminKey);
        using var deleted = await admin.DeleteAsync($"api/v1/webhook-endpoints/{endpoint}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    private async Task<Guid> SubmitAsync()
    {
        using var applicant = api.Client(ApiFixture.ApplicantKey);
        using var created = await applicant.PostAsync("api/v1/applications", ChaosData.ColombianJson());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await ApiFixture.JsonAsync(created)).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// The receiver has a request before the dispatcher has written its outcome (the attempt and the delivery's state, in
    /// one statement): wait until the endpoint's log holds this many attempts before reading it.
    /// </summary>
    private Task UntilLoggedAsync(Guid endpoint, int attempts) =>
        ChaosData.WaitUntilAsync(async () => await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM webhook_attempts WHERE endpoint_id = '{endpoint}'") >= attempts, TimeSpan.FromSeconds(5), $"{attempts} attempts logged");

    /// <summary>Runs the Standard Webhooks reference library (npm standardwebhooks) on one received request.</summary>
    private static async Task<string> VerifyWithReferenceLibraryAsync(string secret, ReceivedWebhook hook)
    {
        using var node = Process.Start(new ProcessStartInfo("node", TestEnvironment.StandardWebhooksVerifier)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            secret, id = hook.Id, timestamp = hook.Timestamp, signature = hook.Signature, body = hook.Body,
        }));
        node.StandardInput.Close();
        var output = (await node.StandardOutput.ReadToEndAsync()).Trim();
        await node.WaitForExitAsync();
        return output;
    }

    [Fact]
    public async Task Events_past_the_retention_whose_deliveries_are_finished_are_swept_with_their_log_and_the_rest_stay()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            var (done, waiting, resent) = (await SubmitAsync(), await SubmitAsync(), await SubmitAsync());
            await ChaosData.WaitUntilAsync(async () => await api.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '{endpoint}' AND state = 'delivered'") == 3, TimeSpan.FromSeconds(10), "three deliveries");
            var old = $"now() - interval '31 days'";
            await api.Database.ExecuteAsync($"""
                UPDATE webhook_messages SET occurred_at = {old} WHERE application_id IN ('{done}', '{waiting}', '{resent}');
                UPDATE webhook_deliveries SET retry_from = {old} WHERE application_id IN ('{done}', '{waiting}');
                UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now() + interval '1 hour' WHERE application_id = '{waiting}';
                """);

            var swept = await api.App.Services.GetRequiredService<WebhookEndpoints>().SweepLogAsync(CancellationToken.None);

            Assert.Equal(1, swept);
            Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_messages WHERE application_id = '{done}'"));
            Assert.Equal(0L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_deliveries WHERE application_id = '{done}'"));
            Assert.Equal(2L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_messages WHERE application_id IN ('{waiting}', '{resent}')"));
            Assert.Equal(0L, await api.Database.ScalarAsync<long>(
                "SELECT count(*) FROM webhook_attempts a WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = a.delivery_id)"));
            Assert.Equal(1L, await api.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM qrtz_triggers WHERE trigger_name = '{WebhookLogSweepJob.TriggerKey.Name}'"));
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task A_receiver_registered_through_the_api_gets_application_decided_within_1_second_signed_as_the_standard_webhooks_library_verifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, secret) = await RegisterAsync(receiver, ["application.decided"]);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        try
        {
            var clock = Stopwatch.StartNew();
            var application = await SubmitAsync();
            var received = await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == application), TimeSpan.FromSeconds(5), "application.decided");
            var elapsed = clock.Elapsed;

            var decided = Assert.Single(received, h => h.ApplicationId == application);
            Assert.True(elapsed < TimeSpan.FromSeconds(1), $"application.decided arrived {elapsed.TotalMilliseconds:0} ms after the submission");
            Assert.Equal("application.decided", decided.Type);
            Assert.StartsWith("msg_", decided.Id, StringComparison.Ordinal);
            Assert.Equal("verified", await VerifyWithReferenceLibraryAsync(secret, decided));
            Assert.StartsWith("refused", await VerifyWithReferenceLibraryAsync("whsec_" + Convert.ToBase64String(new byte[32]), decided));
            Assert.StartsWith("refused", await VerifyWithReferenceLibraryAsync(secret, decided with { Body = decided.Body.Replace("CO", "ES", StringComparison.Ordinal) }));

            var data = decided.Json.GetProperty("data");
            Assert.Equal("CO", data.GetProperty("country").GetString());
            Assert.Equal("5000000.00", data.GetProperty("requested_amount").GetString());
            Assert.Equal("COP", data.GetProperty("currency").GetString());
            Assert.Contains(data.GetProperty("status").GetString(), new[] { "APPROVED", "REJECTED", "UNDER_REVIEW" });
            Assert.Equal(JsonValueKind.Array, data.GetProperty("decision").GetProperty("reasons").ValueKind);
            // No PII: the applicant's name and document are nowhere in the body.
            Assert.DoesNotContain("Mateo", decided.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("full_name", decided.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("document", decided.Body, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task A_500_and_a_timeout_are_retried_with_the_same_webhook_id_until_delivered_and_the_log_shows_every_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = async (_, call, cancellationToken) =>
        {
            if (call == 2)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            }
            return call == 1 ? 500 : 200;
        };
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            var application = await SubmitAsync();
            var received = await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == application && h.Status == 200), TimeSpan.FromSeconds(10), "the third attempt");

            var attempts = received.Where(h => h.ApplicationId == application).ToList();
            Assert.Equal(3, attempts.Count);
            await UntilLoggedAsync(endpoint, 3);
            Assert.Single(attempts.Select(h => h.Id).Distinct());
            Assert.Equal(0, receiver.Overlaps);

            using var admin = api.Client(ApiFixture.AdminKey);
            var log = await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}/deliveries");
            var delivery = Assert.Single(log.EnumerateArray());
            Assert.Equal("delivered", delivery.GetProperty("state").GetString());
            Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
            Assert.Equal(200, delivery.GetProperty("last_status_code").GetInt32());
            Assert.Equal(attempts[0].Id, delivery.GetProperty("webhook_id").GetString());
            var tries = await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}/deliveries/{delivery.GetProperty("id").GetInt64()}/attempts");
            var rows = tries.EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal(500, rows[0].GetProperty("status_code").GetInt32());
            Assert.False(rows[1].TryGetProperty("status_code", out _));
            Assert.Contains("timed out", rows[1].GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.InRange(rows[1].GetProperty("latency_ms").GetInt32(), 900, 2000);
            Assert.Equal(200, rows[2].GetProperty("status_code").GetInt32());
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task Each_application_s_events_arrive_in_the_order_they_happened_even_when_some_fail_and_the_endpoint_s_limit_holds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var random = new Random(7);
        receiver.Respond = async (_, call, cancellationToken) =>
        {
            await Task.Delay(random.Next(5, 40), cancellationToken);
            return call == 1 && random.Next(3) == 0 ? 503 : 204;
        };
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted", "application.status_changed", "application.decided"], maxConcurrency: 3);
        try
        {
            var applications = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SubmitAsync()));
            // submitted, to VALIDATING, to its decision, and decided: four messages each.
            var expected = applications.Length * 4;
            var received = await receiver.WaitForAsync(r => r.Count(h => h.Status == 204) >= expected, TimeSpan.FromSeconds(30), $"{expected} delivered events");

            Assert.InRange(receiver.MaxConcurrent, 1, 3);
            Assert.Equal(0, receiver.Overlaps);
            foreach (var application in applications)
            {
                var inOrder = received.Where(h => h.ApplicationId == application && h.Status == 204).OrderBy(h => h.At).Select(h => h.Id).ToList();
                var written = await api.Database.ScalarAsync<string>(
                    $"SELECT string_agg(message_id, ',' ORDER BY id) FROM webhook_messages WHERE application_id = '{application}'");
                Assert.Equal(written, string.Join(',', inOrder));
                var types = received.Where(h => h.ApplicationId == application && h.Status == 204).OrderBy(h => h.At).Select(h => h.Type).ToList();
                Assert.Equal("application.submitted", types[0]);
            }
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task Re_delivery_by_hand_sends_the_same_webhook_id_again_and_the_log_marks_it_manual()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            var application = await SubmitAsync();
            var first = (await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == application), TimeSpan.FromSeconds(5), "the first delivery"))
                .Single(h => h.ApplicationId == application);
            await UntilLoggedAsync(endpoint, 1);
            using var admin = api.Client(ApiFixture.AdminKey);
            var delivery = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}/deliveries?state=delivered")).EnumerateArray().Single();
            var id = delivery.GetProperty("id").GetInt64();

            using var again = await admin.PostAsync($"api/v1/webhook-endpoints/{endpoint}/deliveries/{id}/redeliver", null);

            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            var both = await receiver.WaitForAsync(r => r.Count(h => h.ApplicationId == application) == 2, TimeSpan.FromSeconds(5), "the re-delivery");
            Assert.All(both.Where(h => h.ApplicationId == application), h => Assert.Equal(first.Id, h.Id));
            await UntilLoggedAsync(endpoint, 2);
            var attempts = await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}/deliveries/{id}/attempts");
            Assert.Equal([false, true], attempts.EnumerateArray().Select(a => a.GetProperty("manual").GetBoolean()));
            using var unknown = await admin.PostAsync($"api/v1/webhook-endpoints/{endpoint}/deliveries/{id + 100000}/redeliver", null);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task Re_delivery_of_a_delivery_being_attempted_right_now_is_refused_409_and_the_event_goes_out_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (_, _, cancellationToken) =>
        {
            arrived.TrySetResult();
            await release.Task.WaitAsync(cancellationToken);
            return 204;
        };
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            var application = await SubmitAsync();
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(5));
            using var admin = api.Client(ApiFixture.AdminKey);
            var id = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}/deliveries")).EnumerateArray().Single().GetProperty("id").GetInt64();

            using var again = await admin.PostAsync($"api/v1/webhook-endpoints/{endpoint}/deliveries/{id}/redeliver", null);

            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("/api/v1/problems/delivery_in_flight", (await ApiFixture.JsonAsync(again)).GetProperty("type").GetString());
            release.SetResult();
            await UntilLoggedAsync(endpoint, 1);
            await Task.Delay(300);
            Assert.Single(receiver.Received, h => h.ApplicationId == application);
        }
        finally
        {
            release.TrySetResult();
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task The_delivery_log_refuses_a_filter_it_does_not_know_with_422_and_an_admin_disables_an_endpoint_through_the_API()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            using var admin = api.Client(ApiFixture.AdminKey);
            using var badFilter = await admin.GetAsync($"api/v1/webhook-endpoints/{endpoint}/deliveries?state=lost");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, badFilter.StatusCode);
            Assert.True((await ApiFixture.JsonAsync(badFilter)).GetProperty("errors").TryGetProperty("state", out _));

            using var disabled = await admin.PostAsync($"api/v1/webhook-endpoints/{endpoint}/disable", null);

            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            Assert.False((await ApiFixture.JsonAsync(disabled)).GetProperty("enabled").GetBoolean());
            var application = await SubmitAsync();
            await Task.Delay(800);
            Assert.DoesNotContain(receiver.Received, h => h.ApplicationId == application);
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_until_the_overlap_ends_and_the_new_secret_is_shown_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, oldSecret) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            using var admin = api.Client(ApiFixture.AdminKey);
            using var rotated = await admin.PostAsync($"api/v1/webhook-endpoints/{endpoint}/rotate-secret", null);
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            var body = await ApiFixture.JsonAsync(rotated);
            var newSecret = body.GetProperty("secret").GetString()!;
            Assert.NotEqual(oldSecret, newSecret);
            Assert.True(body.GetProperty("previous_secret_valid_until").GetDateTime() > DateTime.UtcNow.AddHours(23));

            var application = await SubmitAsync();
            var hook = (await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == application), TimeSpan.FromSeconds(5), "a delivery")).Single(h => h.ApplicationId == application);
            Assert.Equal(2, hook.Signature.Split(' ').Length);
            Assert.Equal("verified", await VerifyWithReferenceLibraryAsync(newSecret, hook));
            Assert.Equal("verified", await VerifyWithReferenceLibraryAsync(oldSecret, hook));

            // Once the overlap is over only the new secret signs.
            await api.Database.ExecuteAsync($"UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = '{endpoint}'");
            var later = await SubmitAsync();
            var next = (await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == later), TimeSpan.FromSeconds(5), "a delivery")).Single(h => h.ApplicationId == later);
            Assert.Single(next.Signature.Split(' '));
            Assert.StartsWith("refused", await VerifyWithReferenceLibraryAsync(oldSecret, next));
            Assert.Equal("verified", await VerifyWithReferenceLibraryAsync(newSecret, next));

            var listed = await admin.GetFromJsonAsync<JsonElement>("api/v1/webhook-endpoints");
            Assert.DoesNotContain("whsec_", listed.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(newSecret[6..], await api.Database.ScalarAsync<string>("SELECT string_agg(encode(secret_cipher, 'escape'), '') FROM webhook_endpoints") ?? "", StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task A_disabled_endpoint_gets_nothing_and_an_endpoint_failing_for_3_days_disables_itself()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, _, _) => Task.FromResult(500);
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted"]);
        try
        {
            using var admin = api.Client(ApiFixture.AdminKey);
            var application = await SubmitAsync();
            await receiver.WaitForAsync(r => r.Count(h => h.ApplicationId == application) >= 2, TimeSpan.FromSeconds(5), "retries");
            var failing = await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}");
            Assert.True(failing.GetProperty("enabled").GetBoolean());
            Assert.True(failing.TryGetProperty("failing_since", out _));

            // Three days of failures (moved back in time): the next failure disables the endpoint.
            await api.Database.ExecuteAsync($"UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 minute' WHERE id = '{endpoint}'");
            await ChaosData.WaitUntilAsync(async () => (await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}"))
                .TryGetProperty("disabled_reason", out _), TimeSpan.FromSeconds(5), "the endpoint to disable itself");
            var disabled = await admin.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpoint}");
            Assert.False(disabled.GetProperty("enabled").GetBoolean());
            Assert.Equal("failing", disabled.GetProperty("disabled_reason").GetString());
            var count = receiver.Received.Count;
            await SubmitAsync();
            await Task.Delay(800);
            Assert.Equal(count, receiver.Received.Count);

            // Enabled again, it answers: the pending delivery goes out and the failures are forgotten.
            receiver.Respond = (_, _, _) => Task.FromResult(204);
            using var enabled = await admin.PostAsync($"api/v1/webhook-endpoints/{endpoint}/enable", null);
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
            await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == application && h.Status == 204), TimeSpan.FromSeconds(5), "the pending delivery");
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Fact]
    public async Task A_delivery_still_failing_when_its_24_hour_retry_window_closes_is_failed_and_no_longer_holds_back_the_application_s_later_events()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // The first message (application.submitted) never gets through; the others would.
        string? stuck = null;
        receiver.Respond = (id, _, _) => Task.FromResult((stuck ??= id) == id ? 500 : 204);
        var (endpoint, _) = await RegisterAsync(receiver, ["application.submitted", "application.status_changed"]);
        try
        {
            var application = await SubmitAsync();
            await receiver.WaitForAsync(r => r.Count(h => h.ApplicationId == application) >= 2, TimeSpan.FromSeconds(5), "two attempts");
            Assert.All(receiver.Received.Where(h => h.ApplicationId == application), h => Assert.Equal("application.submitted", h.Type));
            await api.Database.ExecuteAsync($"UPDATE webhook_deliveries SET retry_from = now() - interval '24 hours' WHERE endpoint_id = '{endpoint}'");
            await ChaosData.WaitUntilAsync(async () => await api.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = '{endpoint}' AND state = 'failed'") >= 1, TimeSpan.FromSeconds(5), "a failed delivery");
            // The later status changes were held back behind the failing one; now they go.
            await receiver.WaitForAsync(r => r.Any(h => h.ApplicationId == application && h.Type == "application.status_changed" && h.Status == 204),
                TimeSpan.FromSeconds(5), "the later events");
        }
        finally
        {
            await DeleteAsync(endpoint);
        }
    }

    [Theory]
    [InlineData(ApiFixture.OfficerKey, HttpStatusCode.Forbidden)]
    [InlineData(ApiFixture.ApplicantKey, HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Only_admins_register_list_or_see_endpoints(string? key, HttpStatusCode expected)
    {
        using var client = api.Client(key);
        using var create = await client.PostAsJsonAsync("api/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/hooks", event_types = AllTypes });
        using var list = await client.GetAsync("api/v1/webhook-endpoints");
        Assert.Equal(expected, create.StatusCode);
        Assert.Equal(expected, list.StatusCode);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints WHERE url = 'http://127.0.0.1:9/hooks'"));
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/x","event_types":["application.decided"]}""", "url")]
    [InlineData("""{"url":"not a url","event_types":["application.decided"]}""", "url")]
    [InlineData("""{"url":"https://user:pw@example.com/x","event_types":["application.decided"]}""", "url")]
    [InlineData("""{"url":"https://example.com/x","event_types":[]}""", "event_types")]
    [InlineData("""{"url":"https://example.com/x","event_types":["application.exploded"]}""", "event_types")]
    [InlineData("""{"url":"https://example.com/x","event_types":["application.decided"],"max_concurrency":0}""", "max_concurrency")]
    [InlineData("""{"url":"https://example.com/x","event_types":["application.decided"],"max_concurrency":33}""", "max_concurrency")]
    public async Task Bad_registrations_are_a_422_naming_the_field_and_register_nothing(string json, string field)
    {
        using var admin = api.Client(ApiFixture.AdminKey);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints");
        using var response = await admin.PostAsync("api/v1/webhook-endpoints", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await ApiFixture.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_endpoints"));
    }
}
