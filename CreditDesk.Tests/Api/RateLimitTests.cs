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
