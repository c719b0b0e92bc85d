using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ClusterHosting.Observability;

/// <summary>Ready when membership lists this silo as active: it has joined and is not shutting down.</summary>
public sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("Active in membership.")
            : HealthCheckResult.Unhealthy($"Membership lists this silo as {status}."));
    }
}
