using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterHosting.Observability;

/// <summary>Ready when this process can reach the cluster and the cluster has an active silo.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken).WaitAsync(Timeout, cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"{silos.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("The cluster has no active silo.");
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The cluster cannot be reached.", exception);
        }
    }
}
