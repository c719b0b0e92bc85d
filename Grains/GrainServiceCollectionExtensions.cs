using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The services session grains depend on, with their options bound and validated at start-up.</summary>
    /// <summary>The name of the silo's own meter, for telemetry set-up.</summary>
    public const string MeterName = GrainMetrics.MeterName;

    /// <summary>Orleans' tracing filters, then the one that tags session calls with their session id.</summary>
    public static ISiloBuilder AddSessionTracing(this ISiloBuilder silo)
    {
        silo.AddActivityPropagation();
        silo.AddIncomingGrainCallFilter<SessionSpanTagging>();
        return silo;
    }

    public static IServiceCollection AddSessionGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(SessionClock.Key, (services, _) => services.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<CpuWorkLimiter>();
        services.AddMetrics();
        services.TryAddSingleton<GrainMetrics>();
        services.AddOptions<SessionOptions>()
            .BindConfiguration(SessionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<SessionOptions>>((collection, sessions) =>
                collection.ClassSpecificCollectionAge[typeof(SessionGrain).FullName!] = sessions.Value.IdleTimeout);
        services.AddOptions<TaskOptions>()
            .BindConfiguration(TaskOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
