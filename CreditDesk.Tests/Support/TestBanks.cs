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
}
