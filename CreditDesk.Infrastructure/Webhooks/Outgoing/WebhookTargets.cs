using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CreditDesk.Infrastructure.Webhooks.Outgoing;

public enum TargetRefusal
{
    NotAnHttpUrl,
    CredentialsOrFragment,
    NotHttps,
    DoesNotResolve,
    NotPublic,
}

/// <summary>
/// Which URLs may receive events. Outside Development (<see cref="OutgoingWebhookOptions.RequirePublicHttps"/>) only
/// https to hosts whose every address is public: not loopback, private, link-local, unique-local, carrier-grade NAT,
/// multicast or unspecified. Checked when an endpoint is registered and again on every connection
/// (<see cref="ConnectAsync"/>), so a name that later resolves inward (DNS rebinding) is still refused.
/// </summary>
public sealed class WebhookTargets(IOptions<OutgoingWebhookOptions> options)
{
    public const int MaxUrlLength = 2048;

    /// <summary>Why the URL cannot receive events, or null when it can.</summary>
    public async Task<TargetRefusal?> RefuseAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
        {
            return TargetRefusal.NotAnHttpUrl;
        }
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return TargetRefusal.CredentialsOrFragment;
        }
        if (!options.Value.RequirePublicHttps)
        {
            return null;
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return TargetRefusal.NotHttps;
        }
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return TargetRefusal.DoesNotResolve;
        }
        return addresses.Length == 0 ? TargetRefusal.DoesNotResolve
            : addresses.All(IsPublic) ? null
            : TargetRefusal.NotPublic;
    }

    /// <summary>The refusal as the API says it (screens translate the code).</summary>
    public static string Describe(TargetRefusal refusal) => refusal switch
    {
        TargetRefusal.NotAnHttpUrl => $"An absolute http(s) URL of at most {MaxUrlLength} characters is required.",
        TargetRefusal.CredentialsOrFragment => "The URL may not carry credentials or a fragment.",
        TargetRefusal.NotHttps => "The URL must use https.",
        TargetRefusal.DoesNotResolve => "The URL's host does not resolve.",
        _ => "The URL's host resolves to a loopback, private or link-local address.",
    };

    /// <summary>An address literal as itself, a name through DNS.</summary>
    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }

    /// <summary>The delivery client's connect: with the check on, only to a public address of the host.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken);
        if (options.Value.RequirePublicHttps)
        {
            addresses = addresses.Where(IsPublic).ToArray();
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"{endpoint.Host} has no public address.");
            }
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
