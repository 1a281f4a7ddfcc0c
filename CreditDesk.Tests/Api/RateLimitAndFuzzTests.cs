using System.Net;
using System.Net.Http.Json;
using System.Text;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Infrastructure;
using CreditDesk.Tests.Support;
using static CreditDesk.Tests.Support.ApiFixture;

namespace CreditDesk.Tests.Api;

public sealed class TightRateLimitFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:submit:PermitLimit"] = "3",
        ["RateLimits:submit:WindowSeconds"] = "30",
    };
}

public sealed class RateLimitTests(TightRateLimitFixture api) : IClassFixture<TightRateLimitFixture>
{
    [Fact]
    public async Task Submitting_over_the_rate_limit_answers_429_with_Retry_After()
    {
        using var client = api.Client(ApplicantKey);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.PostAsJsonAsync("api/v1/applications", new
            {
                country = "CO", full_name = "Lina Cárdenas", document = ApplicationTestData.NextCedula(), amount = "1000000", monthly_income = "3000000",
            }));
        }

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var limited = answers.Last();
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.EndsWith("/rate_limited", (await JsonAsync(limited)).GetProperty("type").GetString(), StringComparison.Ordinal);
    }
}

public sealed class FuzzTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e400", "0.000000001", "\"country\"", "\"ES\"", "\"amount\"",
        "\"9999999999999999999999999999\"", "\"full_name\"", "\"\\u0000\"", "\"document\"", "\"12345678Z\"", "\"term_months\"", "84.5",
        "\"event_id\"", "\"event_type\"", "\"disbursement.completed\"", "\"application_id\"", "\"not-a-guid\"", "\"occurred_at\"", "\"yesterday\"",
        "\u00ff", "\ud83d\ude00", "{\"a\":" + new string('[', 200), "'; DROP TABLE credit_applications; --",
    ];

    [Fact]
    public async Task Two_thousand_random_or_malformed_requests_produce_no_5xx_and_no_rows()
    {
        var random = new Random(9457);
        using var applicant = api.Client(ApplicantKey);
        using var anonymous = api.Client();
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
        var statuses = new List<int>();

        for (var i = 0; i < 2_000; i++)
        {
            var body = RandomBody(random);
            using var request = new HttpRequestMessage(HttpMethod.Post, i % 2 == 0 ? "api/v1/applications" : "api/v1/webhooks/bank-confirmation")
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(3) switch { 0 => "application/json", 1 => "text/plain", _ => "application/x-www-form-urlencoded" });
            if (i % 2 == 1)
            {
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header, random.Next(3) switch
                {
                    0 => WebhookSignature.Sign(InfrastructureServices.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body),
                    1 => $"t={random.Next()},v1={new string('a', random.Next(0, 70))}",
                    _ => new string(Encoding.Latin1.GetString(RandomBody(random)).Select(c => c is >= (char)32 and < (char)127 ? c : '?').ToArray()),
                });
            }
            if (i % 7 == 0)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', random.Next(0, 150)));
            }
            using var response = await (i % 2 == 0 ? applicant : anonymous).SendAsync(request);
            statuses.Add((int)response.StatusCode);
        }

        Assert.DoesNotContain(statuses, status => status >= 500);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE outcome = 'processed'"));
    }

    private static byte[] RandomBody(Random random)
    {
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
