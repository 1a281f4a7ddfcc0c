using System.Security.Cryptography;
using CreditDesk.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CreditDesk.Tests.Support;

/// <summary>The Infrastructure composition root on its own, pointed at a test database (no hosted services run).</summary>
public static class InfrastructureServices
{
    public static readonly string TestKey1 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string TestKey2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string TestHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Settings every test host shares: the database, PII keys, and fast retries.</summary>
    public static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["ConnectionStrings:CreditDesk"] = connectionString,
        ["Pii:ActiveKeyId"] = "k1",
        ["Pii:Keys:k1"] = TestKey1,
        ["Pii:HashKey"] = TestHashKey,
        ["Processing:RetryBaseDelay"] = "00:00:00.050",
        ["Processing:SweepInterval"] = "00:00:01",
        ["Bureaus:Resilience:RetryBaseDelay"] = "00:00:00.010",
        ["Seed:SampleApplications"] = "false",
    };

    public static ServiceProvider Build(string connectionString, IDictionary<string, string?>? overrides = null)
    {
        var settings = Settings(connectionString);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddInfrastructure(configuration);
        return services.BuildServiceProvider();
    }
}
