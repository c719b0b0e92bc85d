using Microsoft.Extensions.Hosting;
using ServiceDefaults.Http;
using ServiceDefaults.Observability;

namespace ServiceDefaults;

/// <summary>What every process of the service has, front end or silo: telemetry and health, host filtering, forwarded headers.</summary>
public static class ServiceDefaultsExtensions
{
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        builder.AddSessionTelemetry(serviceName, meters);
        builder.Services.AddKnownHostFiltering();
        builder.Services.AddTrustedForwardedHeaders();
        builder.Services.AddDevelopmentExceptionDetails();
        return builder;
    }
}
