using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CreditDesk.Infrastructure.Applications;
using CreditDesk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Api;

/// <summary>API keys revoked on one node are refused by every node within a second; Idempotency-Keys go after 24 h.</summary>
public sealed class LooseEndsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static HttpClient ClientOf(AppHost node, string key) => new()
    {
        BaseAddress = node.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    private static async Task<TimeSpan> RefusedWithinAsync(HttpClient client, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("api/v1/applications");
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return clock.Elapsed;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < limit, $"still accepted after {clock.Elapsed.TotalMilliseconds:0} ms");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_by_another_node_that_had_it_cached_within_1_second()
    {
        await using var other = new AppHost(api.Database.ConnectionString);
        await other.StartAndWaitUntilReadyAsync();
        using var admin = api.Client(ApiFixture.AdminKey);
        using var created = await admin.PostAsJsonAsync("api/v1/api-keys", new { name = "partner bank", role = "Officer" });
        var body = await ApiFixture.JsonAsync(created);
        using var onOther = ClientOf(other, body.GetProperty("key").GetString()!);
        // Known on the other node now, so its cache would keep it for 30 s without the revocation's NOTIFY.
        Assert.Equal(HttpStatusCode.OK, (await onOther.GetAsync("api/v1/applications")).StatusCode);

        using var revoked = await admin.DeleteAsync($"api/v1/api-keys/{body.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await RefusedWithinAsync(onOther, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_key_an_operator_revokes_in_sql_is_refused_within_1_second_too()
    {
        using var admin = api.Client(ApiFixture.AdminKey);
        using var created = await admin.PostAsJsonAsync("api/v1/api-keys", new { name = "ops revoked", role = "Officer" });
        var body = await ApiFixture.JsonAsync(created);
        using var partner = api.Client(body.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("api/v1/applications")).StatusCode);

        await api.Database.ExecuteAsync($"UPDATE api_keys SET revoked_at = now() WHERE id = '{body.GetProperty("id").GetGuid()}'");

        await RefusedWithinAsync(partner, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Idempotency_keys_past_24_hours_are_swept_by_the_clustered_job_and_younger_ones_still_replay()
    {
        using var applicant = api.Client(ApiFixture.ApplicantKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/applications")
        {
            Content = Chaos.ChaosData.ColombianJson(),
            Headers = { { "Idempotency-Key", "still-fresh" } },
        };
        using var first = await applicant.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await api.Database.ExecuteAsync("""
            INSERT INTO idempotency_keys (key, request_hash, status_code, response_body, created_at, expires_at)
            SELECT 'old-' || i, '\x00'::bytea, 201, '{}', now() - interval '25 hours', now() - interval '1 hour' FROM generate_series(1, 12000) i
            """);

        // The job as Quartz runs it on whichever node its clustered trigger fires (every 10 min by default).
        var swept = await api.App.Services.GetRequiredService<IdempotencyStore>().SweepExpiredAsync(CancellationToken.None);

        Assert.Equal(12_000, swept);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE expires_at < now()"));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key LIKE '%still-fresh'"));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM qrtz_simple_triggers WHERE trigger_name = '{IdempotencySweepJob.TriggerKey.Name}' AND repeat_interval = {(long)TimeSpan.FromMinutes(10).TotalMilliseconds}"));
    }

    [Fact]
    public async Task A_running_node_sweeps_expired_idempotency_keys_on_its_own_schedule()
    {
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        await using var node = await PipelineHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Processing:IdempotencySweepInterval"] = "00:00:01" });
        await database.ExecuteAsync("""
            INSERT INTO idempotency_keys (key, request_hash, status_code, response_body, created_at, expires_at)
            VALUES ('expired', '\x00'::bytea, 201, '{}', now() - interval '25 hours', now() - interval '1 hour'),
                   ('young', '\x00'::bytea, 201, '{}', now(), now() + interval '24 hours')
            """);

        await Chaos.ChaosData.WaitUntilAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'expired'") == 0,
            TimeSpan.FromSeconds(10), "the expired key is swept");
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE key = 'young'"));
    }
}
