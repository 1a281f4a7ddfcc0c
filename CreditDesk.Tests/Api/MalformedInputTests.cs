using System.Net;
using System.Net.Http.Json;
using System.Text;
using CreditDesk.Infrastructure.Webhooks;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>Input that used to answer 500: each gets a 4xx with a problem, and nothing changes.</summary>
public sealed class MalformedInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("{\"country\":\"CO\",\"full_name\":\"Ana \\ud800 Ruiz\",\"document\":\"1020304050\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}")]
    [InlineData("{\"country\":\"CO\",\"full_name\":\"Ana Ruiz\",\"document\":\"10203\\u00004050\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}")]
    [InlineData("{\"country\":\"C\\udc00\",\"full_name\":\"Ana Ruiz\",\"document\":\"1020304050\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}")]
    public async Task A_create_with_a_lone_surrogate_or_NUL_in_a_string_is_a_field_error_and_writes_nothing(string body)
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");

        using var response = await Post(ApiFixture.ApplicantKey, "api/v1/applications", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    [Theory]
    [InlineData("{\"status\":\"APPROVED\",\"reason\":\"ok\\u0000then\"}", HttpStatusCode.UnprocessableEntity, "validation")]
    [InlineData("{\"status\":\"APPROVED\",\"reason\":\"ok \\ud800\"}", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("{\"status\":\"APPROVED\",\"reason\":5}", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("{\"status\":\"CANCELLED\",\"status\":\"APPROVED\"}", HttpStatusCode.BadRequest, "malformed_request")]
    [InlineData("[\"APPROVED\"]", HttpStatusCode.BadRequest, "malformed_request")]
    public async Task A_status_change_that_is_not_storable_text_of_the_right_shape_is_a_problem_and_changes_nothing(string body, HttpStatusCode expected, string problem)
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");

        using var response = await Send(HttpMethod.Patch, ApiFixture.AdminKey, $"api/v1/applications/{id}/status", body);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/" + problem, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("type").GetString());
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task A_status_change_body_over_16_KiB_is_413_and_changes_nothing()
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");

        using var response = await Send(HttpMethod.Patch, ApiFixture.AdminKey, $"api/v1/applications/{id}/status",
            $"{{\"status\":\"APPROVED\",\"reason\":\"ok\",\"padding\":\"{new string('x', 17 * 1024)}\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task An_API_key_name_with_NUL_is_refused()
    {
        using var response = await Post(ApiFixture.AdminKey, "api/v1/api-keys", "{\"name\":\"bad\\u0000name\",\"role\":\"Officer\"}");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, response.StatusCode.ToString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE name LIKE 'bad%'"));
    }

    [Theory]
    [InlineData("evt-\\u0000-1", "COP")]
    [InlineData("evt-nul-2", "CO\\u0000")]
    [InlineData("evt-\\ud800-3", "COP")]
    public async Task A_webhook_with_NUL_or_a_lone_surrogate_in_a_field_is_refused_as_malformed(string eventId, string currency)
    {
        var id = await api.ApplicationInStatusAsync("APPROVED");
        var body = $"{{\"event_id\":\"{eventId}\",\"event_type\":\"disbursement.completed\",\"application_id\":\"{id}\",\"provider_reference\":\"ref-1\",\"amount\":\"5000000.00\",\"currency\":\"{currency}\",\"occurred_at\":\"2026-11-22T10:00:00Z\"}}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var client = new HttpClient { BaseAddress = api.App.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/webhooks/bank-confirmation") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-CreditDesk-Signature", TestBanks.Sign(Encoding.UTF8.GetBytes(body), at: now));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("APPROVED", await api.Database.StatusAsync(id));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Endpoints_that_take_JSON_answer_415_to_any_other_content_type(string contentType)
    {
        var id = await api.ApplicationInStatusAsync("UNDER_REVIEW");
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
        const string Create = "{\"country\":\"CO\",\"full_name\":\"Ana Ruiz\",\"document\":\"1020304055\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}";

        var answers = new List<HttpStatusCode>();
        foreach (var (method, key, path, body) in new[]
        {
            (HttpMethod.Post, ApiFixture.ApplicantKey, "api/v1/applications", Create),
            (HttpMethod.Patch, ApiFixture.AdminKey, $"api/v1/applications/{id}/status", "{\"status\":\"APPROVED\",\"reason\":\"ok\"}"),
            (HttpMethod.Post, ApiFixture.AdminKey, "api/v1/api-keys", "{\"name\":\"x\",\"role\":\"Officer\"}"),
            (HttpMethod.Post, ApiFixture.AdminKey, "api/v1/webhooks/bank-confirmation", "{}"),
        })
        {
            using var client = api.Client(key);
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            using var response = await client.SendAsync(request);
            answers.Add(response.StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.UnsupportedMediaType, status));
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
        Assert.Equal("UNDER_REVIEW", await api.Database.StatusAsync(id));
    }

    [Fact]
    public async Task A_body_that_repeats_a_key_is_refused_with_400()
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");

        using var response = await Post(ApiFixture.ApplicantKey, "api/v1/applications",
            "{\"country\":\"CO\",\"full_name\":\"Ana Ruiz\",\"document\":\"1020304057\",\"amount\":\"-5\",\"amount\":\"1000000.00\",\"monthly_income\":\"4000000\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
    }

    [Fact]
    public async Task A_sign_in_post_without_an_antiforgery_token_is_a_400_not_a_500()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.App.BaseAddress };

        using var response = await http.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "officer@creditdesk.test", ["password"] = "whatever",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    public async Task A_sign_in_return_address_with_control_characters_goes_home_instead(string returnUrl)
    {
        var cookies = new System.Net.CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = api.App.BaseAddress };
        var token = await SignInFormTokenAsync(http);

        using var response = await http.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["email"] = "nobody@creditdesk.test", ["password"] = "wrong-password",
            ["returnUrl"] = System.Text.RegularExpressions.Regex.Unescape(returnUrl),
        }));

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/account/login?error=invalid&returnUrl=%2F", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_cookie_session_changes_things_only_from_its_own_origin()
    {
        await api.Database.WaitForDevelopmentAccountsAsync();
        var cookies = new System.Net.CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = api.App.BaseAddress };
        var token = await SignInFormTokenAsync(http);
        using var signedIn = await http.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["email"] = BrowserFixture.ApplicantEmail, ["password"] = BrowserFixture.ApplicantPassword, ["returnUrl"] = "/",
        }));
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications");
        string Body() => $"{{\"country\":\"CO\",\"full_name\":\"Ana Ruiz\",\"document\":\"{Infrastructure.ApplicationTestData.NextCedula()}\",\"amount\":\"5000000\",\"monthly_income\":\"4000000\"}}";

        async Task<HttpStatusCode> SubmitFromAsync(string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/applications") { Content = new StringContent(Body(), Encoding.UTF8, "application/json") };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await SubmitFromAsync("http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await SubmitFromAsync($"http://127.0.0.1:{api.App.BaseAddress.Port + 1}"));
        Assert.Equal(HttpStatusCode.Forbidden, await SubmitFromAsync(null));
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_applications"));
        Assert.Equal(HttpStatusCode.Created, await SubmitFromAsync(api.App.BaseAddress.GetLeftPart(UriPartial.Authority)));
    }

    /// <summary>The sign-in page's antiforgery token (its cookie lands in the client's container).</summary>
    private static async Task<string> SignInFormTokenAsync(HttpClient http)
    {
        var input = System.Text.RegularExpressions.Regex.Match(await http.GetStringAsync("account/login"), "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var token = System.Text.RegularExpressions.Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return token;
    }

    private Task<HttpResponseMessage> Post(string key, string path, string body) => Send(HttpMethod.Post, key, path, body);

    private async Task<HttpResponseMessage> Send(HttpMethod method, string key, string path, string body)
    {
        using var client = api.Client(key);
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request);
    }
}
