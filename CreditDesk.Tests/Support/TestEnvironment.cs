using System.Net;
using System.Net.Sockets;

namespace CreditDesk.Tests.Support;

/// <summary>What <c>./build.sh test</c> provides: a throw-away PostgreSQL cluster and Debian's Chromium.</summary>
public static class TestEnvironment
{
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("CREDITDESK_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "CREDITDESK_TEST_POSTGRES is not set: run the tests through ./build.sh test, which starts a throw-away PostgreSQL.");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CREDITDESK_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>
    /// The Standard Webhooks reference library's verifier (<c>CreditDesk.Tests/StandardWebhooks/verify.mjs</c>, its
    /// packages installed by <c>./build.sh test</c>), found from the test binaries when the build script did not say.
    /// </summary>
    public static string StandardWebhooksVerifier =>
        Environment.GetEnvironmentVariable("CREDITDESK_STANDARD_WEBHOOKS")
        ?? Path.Combine(AppProcess.RepositoryRoot, "CreditDesk.Tests", "StandardWebhooks", "verify.mjs");

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
