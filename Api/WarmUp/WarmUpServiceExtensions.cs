using ServiceDefaults.Observability;

namespace Api.WarmUp;

internal static class WarmUpServiceExtensions
{
    /// <summary>The start-up warm-up, and the readiness check that waits for it.</summary>
    public static IServiceCollection AddStartupWarmUp(this IServiceCollection services)
    {
        services.AddOptions<WarmUpOptions>()
            .BindConfiguration(WarmUpOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StartupWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<StartupWarmUp>());
        services.AddHealthChecks().AddCheck<WarmUpHealthCheck>("warm-up", tags: [TelemetryExtensions.ReadyTag]);
        return services;
    }
}
