using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CreditDesk.Tests.Support;

namespace CreditDesk.Tests.Api;

/// <summary>Pages speak the browser's language unless the person chose one; the HTTP API speaks English whatever it is asked.</summary>
public sealed class LanguageNegotiationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("pt-BR", "pt-BR", "Entre na mesa de crédito.")]
    [InlineData("es", "es", "Inicie sesión en la mesa de crédito.")]
    [InlineData("it-IT,it;q=0.9,en;q=0.5", "it-IT", "Accedi a CreditDesk.")]
    [InlineData("en-US,en;q=0.9", "en", "Sign in to the credit desk.")]
    [InlineData("fr-FR", "en", "Sign in to the credit desk.")]
    public async Task The_sign_in_page_is_in_the_browsers_language_with_html_lang_set(string acceptLanguage, string lang, string intro)
    {
        var page = await GetPageAsync("/account/login", acceptLanguage);

        Assert.Contains($"<html lang=\"{lang}\">", page, StringComparison.Ordinal);
        Assert.Contains(intro, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chosen_language_is_kept_in_a_cookie_and_wins_over_the_browsers()
    {
        using var client = NoRedirects();
        using var choose = await client.GetAsync("/culture?name=it-IT&returnUrl=%2Faccount%2Flogin");

        Assert.Equal(HttpStatusCode.Redirect, choose.StatusCode);
        Assert.Equal("/account/login", choose.Headers.Location?.OriginalString);
        var cookie = Assert.Single(choose.Headers.GetValues("Set-Cookie"), value => value.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await GetPageAsync("/account/login", "pt-BR", cookie.Split(';')[0]);
        Assert.Contains("<html lang=\"it-IT\">", page, StringComparison.Ordinal);
        Assert.Contains("Accedi a CreditDesk.", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/culture?name=xx-YY&returnUrl=%2F", "/")]
    [InlineData("/culture?name=pt-BR&returnUrl=https%3A%2F%2Fevil.example%2F", "/")]
    [InlineData("/culture?name=pt-BR&returnUrl=%2F%2Fevil.example", "/")]
    public async Task An_unknown_language_sets_nothing_and_a_foreign_return_address_goes_home(string address, string location)
    {
        using var client = NoRedirects();
        using var response = await client.GetAsync(address);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        if (address.Contains("xx-YY", StringComparison.Ordinal))
        {
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task The_API_answers_in_English_whatever_the_Accept_Language()
    {
        using var client = api.Client(ApiFixture.ApplicantKey);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("pt-BR");

        using var countries = await client.GetAsync("api/v1/countries");
        var brazil = (await countries.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(c => c.GetProperty("code").GetString() == "BR");
        Assert.Equal("Brazil", brazil.GetProperty("name").GetString());
        Assert.Equal("11 digits, e.g. 529.982.247-25.", brazil.GetProperty("document_hint").GetString());

        using var invalid = await client.PostAsJsonAsync("api/v1/applications", new
        {
            country = "BR", full_name = "Beatriz Souza", document = "123", amount = "15000.50", monthly_income = "7000", term_months = 48,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("A CPF has exactly 11 digits.", errors.GetProperty("document")[0].GetString());
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = api.App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private async Task<string> GetPageAsync(string path, string acceptLanguage, string? cookie = null)
    {
        using var client = NoRedirects();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        request.Headers.Accept.ParseAdd("text/html");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
