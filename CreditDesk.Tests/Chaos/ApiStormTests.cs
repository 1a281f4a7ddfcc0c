using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Chaos;

/// <summary>One app without rate limits in the way, so storms reach validation, locking and idempotency.</summary>
public sealed class StormFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:submit:PermitLimit"] = "1000000",
        ["RateLimits:webhook:PermitLimit"] = "1000000",
        ["Processing:Enabled"] = "false",
    };
}

[Trait("Category", "Chaos")]
public sealed class ApiStormTests(StormFixture api) : IClassFixture<StormFixture>
{
    [Fact]
    public async Task Fifty_concurrent_transitions_of_one_application_let_exactly_one_win_and_write_one_audit_row()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        using var admin = api.Client(AdminKey);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var target = i % 2 == 0 ? "APPROVED" : "REJECTED";
            using var response = await admin.PatchAsJsonAsync($"api/v1/applications/{id}/status", new { status = target, reason = $"Concurrent decision {i}" });
            return (Status: (int)response.StatusCode, Target: target);
        }));

        var winners = answers.Where(a => a.Status == 200).ToList();
        var moves = await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id = '{id}' AND from_status = 'UNDER_REVIEW'");
        var final = await api.Database.StatusAsync(id);
        var histogram = string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key}"));
        ChaosReport.Verdict("50 concurrent transitions of one application",
            winners.Count == 1 && answers.All(a => a.Status is 200 or 409) && moves == 1 && final == winners[0].Target,
            $"answers {histogram}; {moves} audit row for the move; final status {final} (the winner asked for {winners.FirstOrDefault().Target})");
    }

    [Fact]
    public async Task A_storm_of_duplicate_webhooks_applies_each_event_exactly_once()
    {
        const int Events = 10, Copies = 50;
        var applications = new List<Guid>();
        for (var i = 0; i < Events; i++)
        {
            applications.Add(await api.ApplicationInStatusAsync("APPROVED"));
        }
        var bodies = applications.Select(id => Disbursement(id)).ToList();
        var deliveries = bodies.SelectMany(body => Enumerable.Repeat(body, Copies)).OrderBy(_ => Random.Shared.Next()).ToList();
        var answers = new ConcurrentBag<(int Status, string? Outcome)>();

        using var bank = api.Client();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (body, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/webhooks/bank-confirmation") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header,
                TestBanks.Sign(body));
            using var response = await bank.SendAsync(request, token);
            var outcome = response.IsSuccessStatusCode ? (await JsonAsync(response)).GetProperty("status").GetString() : null;
            answers.Add(((int)response.StatusCode, outcome));
        });

        var ids = string.Join(", ", applications.Select(id => $"'{id}'"));
        var disbursed = await api.Database.ScalarAsync<long>($"SELECT count(*) FROM credit_applications WHERE id IN ({ids}) AND status = 'DISBURSED'");
        var moves = await api.Database.ScalarAsync<long>($"SELECT count(*) FROM application_audit WHERE application_id IN ({ids}) AND to_status = 'DISBURSED'");
        var recorded = await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE application_id IN ({ids})");
        var processed = answers.Count(a => a.Outcome == "processed");
        var duplicates = answers.Count(a => a.Outcome == "duplicate");
        ChaosReport.Verdict("storm of duplicate webhooks",
            answers.All(a => a.Status == 200) && processed == Events && duplicates == Events * (Copies - 1) && disbursed == Events && moves == Events && recorded == Events,
            $"{deliveries.Count} deliveries of {Events} events (32 in flight): {answers.Count(a => a.Status == 200)} answered 200, {processed} processed, "
            + $"{duplicates} duplicates; {disbursed} applications DISBURSED with {moves} audit rows; {recorded} events recorded");
    }

    [Fact]
    public async Task Ten_thousand_malformed_requests_produce_no_5xx_and_change_nothing()
    {
        const int Requests = 10_000;
        using var applicant = api.Client(ApplicantKey);
        using var admin = api.Client(AdminKey);
        using var anonymous = api.Client();
        var existing = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        var before = await TableCountsAsync();
        var statuses = new ConcurrentDictionary<int, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            var random = new Random(i);
            using var request = Malformed.Request(random, i, existing);
            var client = (i % 5) switch { 0 or 1 => applicant, 2 => admin, _ => anonymous };
            using var response = await client.SendAsync(request, token);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
        });

        var after = await TableCountsAsync();
        using var ready = await anonymous.GetAsync("health/ready");
        var serverErrors = statuses.Where(s => s.Key >= 500).Sum(s => s.Value);
        var histogram = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}×{s.Key}"));
        ChaosReport.Verdict("10 000 malformed requests",
            serverErrors == 0 && before == after && ready.StatusCode == HttpStatusCode.OK && statuses.Values.Sum() == Requests,
            $"{Requests} sent (16 in flight): {histogram}; rows before {before}, after {after}; ready {(int)ready.StatusCode} afterwards");
    }

    private async Task<string> TableCountsAsync() =>
        (await api.Database.ScalarAsync<string>("""
            SELECT (SELECT count(*) FROM credit_applications) || ' applications / ' || (SELECT count(*) FROM application_audit) || ' audit / '
                || (SELECT count(*) FROM application_outbox) || ' outbox / ' || (SELECT count(*) FROM webhook_events WHERE outcome = 'processed') || ' webhooks applied / '
                || (SELECT count(*) FROM credit_applications WHERE status <> 'UNDER_REVIEW') || ' not under review'
            """))!;

    private static byte[] Disbursement(Guid applicationId) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["event_id"] = $"evt-{Guid.NewGuid():N}",
            ["event_type"] = BankEvent.DisbursementCompleted,
            ["application_id"] = applicationId,
            ["provider_reference"] = "storm-ref",
            ["amount"] = "5000000.00",
            ["currency"] = "COP",
            ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        });
}

/// <summary>Requests a hostile or broken client sends: random bytes, broken JSON, wrong types, bad signatures, bad paths and queries.</summary>
internal static class Malformed
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e400", "0.000000001", "\"country\"", "\"ES\"", "\"amount\"",
        "\"9999999999999999999999999999\"", "\"full_name\"", "\"\\u0000\"", "\"document\"", "\"12345678Z\"", "\"term_months\"", "84.5",
        "\"event_id\"", "\"event_type\"", "\"disbursement.completed\"", "\"application_id\"", "\"not-a-guid\"", "\"occurred_at\"", "\"yesterday\"",
        "\"status\"", "\"APPROVED\"", "\"reason\"", "\u00ff", "\ud83d\ude00", "{\"a\":" + new string('[', 200), "'; DROP TABLE credit_applications; --",
    ];

    private static readonly string[] Queries =
    [
        "limit=-1", "limit=99999999999", "cursor=%%%", "cursor=" + new string('A', 3000), "status=ON_HOLD", "country=ZZ", "from=yesterday",
        "to=2026-13-45", "sort=;drop", "limit=abc", "country=%00", "status=APPROVED&status=REJECTED",
    ];

    public static HttpRequestMessage Request(Random random, int i, Guid existing)
    {
        var body = Body(random);
        HttpRequestMessage request = (i % 8) switch
        {
            0 or 1 or 2 => new(HttpMethod.Post, "api/v1/applications"),
            3 or 4 => new(HttpMethod.Post, "api/v1/webhooks/bank-confirmation"),
            5 => new(HttpMethod.Patch, $"api/v1/applications/{(random.Next(2) == 0 ? existing.ToString() : Guid.NewGuid().ToString())}/status"),
            6 => new(HttpMethod.Get, "api/v1/applications?" + Queries[random.Next(Queries.Length)]),
            _ => new(random.Next(3) switch { 0 => HttpMethod.Put, 1 => HttpMethod.Delete, _ => HttpMethod.Get },
                "api/v1/applications/" + Uri.EscapeDataString(Encoding.Latin1.GetString(Body(random)))),
        };
        if (request.Method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type",
                random.Next(4) switch { 0 => "text/plain", 1 => "application/x-www-form-urlencoded", _ => "application/json" });
        }
        if (i % 8 is 3 or 4)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, random.Next(3) switch
            {
                0 => TestBanks.Sign(body),
                1 => $"t={random.Next()},kid=bk_{random.Next()},v1={new string('a', random.Next(0, 70))}",
                _ => new string(Encoding.Latin1.GetString(Body(random)).Select(c => c is >= (char)32 and < (char)127 ? c : '?').ToArray()),
            });
        }
        if (i % 7 == 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', random.Next(0, 150)));
        }
        return request;
    }

    /// <summary>Well-formed bodies with one poisoned value, or a repeated key: the shapes that once answered 500.</summary>
    private static readonly string[] Poisons = ["\\ud800", "\\udc00x", "a\\u0000b", "\\u0000"];

    private static readonly string[] PoisonedBodies =
    [
        "{\"country\":\"CO\",\"full_name\":\"@\",\"document\":\"1020304050\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}",
        "{\"country\":\"@\",\"full_name\":\"Ana Ruiz\",\"document\":\"1020304050\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}",
        "{\"status\":\"APPROVED\",\"reason\":\"@\"}",
        "{\"event_id\":\"@\",\"event_type\":\"account.verified\",\"application_id\":\"00000000-0000-0000-0000-000000000000\",\"provider_reference\":\"@\",\"amount\":\"1.00\",\"currency\":\"@\",\"occurred_at\":\"2026-11-22T10:00:00Z\"}",
        "{\"name\":\"@\",\"role\":\"Officer\"}",
        "{\"country\":\"CO\",\"full_name\":\"Ana Ruiz\",\"document\":\"1020304050\",\"amount\":\"-5\",\"amount\":\"1000000.00\",\"monthly_income\":\"4000000\"}",
    ];

    private static byte[] Body(Random random)
    {
        if (random.Next(4) == 0)
        {
            var template = PoisonedBodies[random.Next(PoisonedBodies.Length)];
            return Encoding.UTF8.GetBytes(template.Replace("@", Poisons[random.Next(Poisons.Length)], StringComparison.Ordinal));
        }
        if (random.Next(10) == 0)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            return bytes;
        }
        var builder = new StringBuilder();
        for (var n = random.Next(0, 25); n > 0; n--)
        {
            builder.Append(Fragments[random.Next(Fragments.Length)]);
        }
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
