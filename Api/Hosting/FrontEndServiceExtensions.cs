using Api.Http;
using Api.Observability;
using System.Net;
using Api.Operators;
using Api.Process;
using Api.Tasks;
using Api.WebSockets;
using Grains;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServiceDefaults;

namespace Api.Hosting;

internal static class FrontEndServiceExtensions
{
    /// <summary>The front end's own services: validated options and RFC 9457 error bodies.</summary>
    public static WebApplicationBuilder AddFrontEnd(this WebApplicationBuilder builder)
    {
        builder.Services.AddFrameworkProblemDetails();
        builder.AddServiceDefaults("sessions-api", FrontEndMetrics.MeterName, GrainServiceCollectionExtensions.MeterName);
        builder.Services.AddSingleton<FrontEndMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddKeyedSingleton(FrontEndClock.Key, (services, _) => services.GetRequiredService<TimeProvider>());
        builder.Services.AddOpenApi(options =>
        {
            // The dashboard's own endpoints are for operators' browsers, not part of the API.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("dashboard", StringComparison.Ordinal) != true;
            options.AddOperationTransformer<TaskRequestSchema>();
        });
        builder.Services.AddOptions<TaskOptions>()
            .BindConfiguration(TaskOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ProcessOptions>()
            .BindConfiguration(ProcessOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WebSocketLimits>()
            .BindConfiguration(WebSocketLimits.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WebSocketOptions>()
            .Configure<IOptions<WebSocketLimits>>((options, limits) =>
            {
                options.KeepAliveInterval = limits.Value.KeepAliveInterval;
                options.KeepAliveTimeout = limits.Value.KeepAliveTimeout ?? limits.Value.KeepAliveInterval * 2;
            });
        builder.Services.AddSingleton<SocketAdmission>();

        builder.Services.AddOptions<HttpLimits>()
            .BindConfiguration(HttpLimits.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Request bodies (task submissions are a few hundred bytes), request lines and headers are capped (413, 414, 431).
        // Connections that trickle their headers or sit idle between requests are dropped after their timeouts.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpLimits>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = limits.Value.MaxRequestLineBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.Value.MaxRequestHeaderCount;
            kestrel.Limits.RequestHeadersTimeout = limits.Value.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = limits.Value.KeepAliveTimeout;
        });
        builder.Services.AddOptions<SocketTransportOptions>().Configure<IOptions<HttpLimits>>(
            (transport, limits) => transport.Backlog = limits.Value.ListenBacklog);
        builder.Services.AddRequestTimeoutPolicies();
        builder.Services.AddClientRateLimiting();
        builder.Services.AddOptions<OperatorAccessOptions>()
            .BindConfiguration(OperatorAccessOptions.SectionName)
            .Validate(options => options.AllowedNetworks.All(network => IPNetwork.TryParse(network, out _)), "Dashboard:AllowedNetworks must be CIDR networks such as 10.0.0.0/8.")
            .ValidateOnStart();
        return builder;
    }
}
