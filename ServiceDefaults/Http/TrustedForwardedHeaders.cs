using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Http;

/// <summary>
/// ASP.NET Core's forwarded-headers middleware, believing only the configured proxies: behind them the client
/// address (per-client rate limits, <c>Dashboard:AllowedNetworks</c>) and scheme are the client's, not the proxy's.
/// </summary>
public static class TrustedForwardedHeaders
{
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.SectionName)
            .Validate(settings => settings.IsValid(), "ForwardedHeaders:KnownProxies must be IP addresses and ForwardedHeaders:KnownNetworks CIDR networks such as 10.0.0.0/8.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, configured) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // The framework believes loopback by default; here only what is configured counts.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configured.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in configured.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Walk back through a chain of known proxies (load balancer, then ingress) to the first address that is not one.
            options.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>No middleware at all without configured proxies: given empty lists, the framework's believes everyone.</summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value;
        return settings.KnownProxies.Length == 0 && settings.KnownNetworks.Length == 0 ? app : app.UseForwardedHeaders();
    }
}
