using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The services session grains depend on, with their options bound and validated at start-up.</summary>
    public static IServiceCollection AddSessionGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CpuWorkLimiter>();
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
