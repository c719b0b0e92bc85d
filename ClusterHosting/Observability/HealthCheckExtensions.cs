using Microsoft.Extensions.DependencyInjection;
using ServiceDefaults.Observability;

namespace ClusterHosting.Observability;

public static class HealthCheckExtensions
{
    /// <summary>A silo is ready when membership lists it as active and its storage answers.</summary>
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services, ClusterHostingOptions cluster)
    {
        services.AddSingleton(cluster);
        services.AddSingleton<StorageHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: [TelemetryExtensions.ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [TelemetryExtensions.ReadyTag]);
        return services;
    }

    /// <summary>A front end is ready when it can reach the cluster.</summary>
    public static IServiceCollection AddClusterHealthCheck(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [TelemetryExtensions.ReadyTag]);
        return services;
    }
}
