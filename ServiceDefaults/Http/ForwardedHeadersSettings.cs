using System.Net;

namespace ServiceDefaults.Http;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed; bound from the
/// <c>ForwardedHeaders</c> section. Empty (the default) believes no one, so a client cannot pose as another address.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, such as <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, such as <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool IsValid() =>
        KnownProxies.All(proxy => IPAddress.TryParse(proxy, out _)) && KnownNetworks.All(network => IPNetwork.TryParse(network, out _));
}
