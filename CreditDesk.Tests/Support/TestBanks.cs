using System.Globalization;
using System.Text.Json;
using CreditDesk.Domain.Countries;
using CreditDesk.Infrastructure.Banks;
using CreditDesk.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Support;

/// <summary>One bank partner per country with a known key, registered by the API fixture before any application is approved.</summary>
public static class TestBanks
{
    public static string KeyId(string country = "CO") => $"bk_test_{country.ToLowerInvariant()}";

    public static string Secret(string country = "CO") => $"bksec_test_{country.ToLowerInvariant()}_primary";

    public static async Task EnsureAllAsync(IServiceProvider services)
    {
        var banks = services.GetRequiredService<BankPartners>();
        foreach (var country in CountryRegistry.All.Select(policy => policy.Code))
        {
            await banks.EnsureAsync($"Test bank {country}", country, $"ops-{country.ToLowerInvariant()}@bank.test", KeyId(country), Secret(country), CancellationToken.None);
        }
    }

    /// <summary>The signature header the country's test bank sends for <paramref name="body"/>, signed now unless told when.</summary>
    public static string Sign(byte[] body, string country = "CO", long? at = null) =>
        WebhookSignature.Sign(KeyId(country), Secret(country), at ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);

    /// <summary>A bank event's body (by default a Colombian test application's disbursement, COP 5 000 000).</summary>
    public static byte[] Event(Guid applicationId, string type = BankEvent.DisbursementCompleted, string? eventId = null,
        string amount = "5000000.00", string currency = "COP", string reference = "ref-123") =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["event_id"] = eventId ?? $"evt-{Guid.NewGuid():N}",
            ["event_type"] = type,
            ["application_id"] = applicationId,
            ["provider_reference"] = reference,
            ["amount"] = amount,
            ["currency"] = currency,
            ["occurred_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        });

    /// <summary>POSTs a body to the bank-confirmation webhook with the given signature header (none when null).</summary>
    public static async Task<HttpResponseMessage> SendAsync(Uri app, byte[] body, string? header)
    {
        using var client = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/webhooks/bank-confirmation") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, header);
        }
        return await client.SendAsync(request);
    }
}
