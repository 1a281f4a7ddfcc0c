using System.Net;
using System.Net.Http.Json;
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

public sealed class TightWebhookRateLimitFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:webhook:PermitLimit"] = "3",
        ["RateLimits:webhook:WindowSeconds"] = "30",
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

public sealed class WebhookRateLimitTests(TightWebhookRateLimitFixture api) : IClassFixture<TightWebhookRateLimitFixture>
{
    [Fact]
    public async Task A_bank_sending_over_the_webhook_rate_limit_is_answered_429_with_Retry_After_and_nothing_is_recorded()
    {
        var application = await api.ApplicationInStatusAsync("APPROVED");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            var body = TestBanks.Event(application, CreditDesk.Infrastructure.Webhooks.BankEvent.AccountVerified, eventId: $"evt_rate_{i}_{Guid.NewGuid():N}");
            answers.Add(await TestBanks.SendAsync(api.App.BaseAddress, body, TestBanks.Sign(body)));
        }

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var limited = answers.Last();
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.EndsWith("/rate_limited", (await JsonAsync(limited)).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM webhook_events WHERE event_id LIKE 'evt_rate_%'"));
    }
}
