using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Api.WarmUp;

/// <summary>Holds <c>/health/ready</c> back until the start-up warm-up has run (or was switched off).</summary>
internal sealed class WarmUpHealthCheck(StartupWarmUp warmUp) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(warmUp.Finished.IsCompleted
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The front end is warming up its hot paths."));
}
