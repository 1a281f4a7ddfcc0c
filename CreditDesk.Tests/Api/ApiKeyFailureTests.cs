using System.Net;
using System.Net.Http.Headers;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>Guessing API keys is slowed down per address; a client with a valid key is not.</summary>
public sealed class ApiKeyFailureTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task After_twenty_unknown_keys_an_address_is_answered_429_while_a_known_key_still_works()
    {
        using var valid = api.Client(ApiFixture.OfficerKey);
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("api/v1/applications?limit=1")).StatusCode);

        for (var attempt = 0; attempt < 20; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GuessAsync($"cdk_guess_{attempt:D4}"));
        }
        using var blocked = await SendGuessAsync("cdk_guess_9999");

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(blocked.Headers.RetryAfter is not null);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await valid.GetAsync("api/v1/applications?limit=1")).StatusCode);
    }

    private async Task<HttpStatusCode> GuessAsync(string key)
    {
        using var response = await SendGuessAsync(key);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendGuessAsync(string key)
    {
        using var client = api.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.GetAsync("api/v1/applications?limit=1");
    }
}
