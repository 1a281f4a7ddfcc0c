using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CreditDesk.Web.Security;

/// <summary>
/// Behind a reverse proxy (deploy/nginx.conf): X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies
/// configured under <c>ForwardedHeaders:KnownNetworks</c> (loopback always), so rate limits key on the real client,
/// and cookies and HSTS see the https the client used. From anyone else the headers are ignored.
/// </summary>
public static class Proxies
{
    public static IServiceCollection AddCreditDeskProxies(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // One proxy in front: the address it saw is the client's, whatever the client wrote before it.
            options.ForwardLimit = 1;
            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
}
