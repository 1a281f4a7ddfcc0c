using System.Net;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>Behind the proxy, rate limits key on the client it names and cookies see the scheme the client used; nobody else can name a client.</summary>
public sealed class ForwardedHeadersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_the_proxy_names_not_per_proxy()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInAttemptAsync("203.0.113.7"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAttemptAsync("203.0.113.7"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await SignInAttemptAsync("203.0.113.8"));
    }

    [Fact]
    public async Task A_client_the_proxy_reached_over_https_gets_secure_cookies()
    {
        using var client = NoRedirects();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/culture?name=pt-BR&returnUrl=%2F");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpStatusCode> SignInAttemptAsync(string client)
    {
        using var http = NoRedirects();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "nobody@example.test", ["password"] = "not-a-password" }),
        };
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = api.App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
}
