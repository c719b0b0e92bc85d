using Grains;
using Orleans.Dashboard;
using ClusterHosting;
using ClusterHosting.Observability;
using ServiceDefaults.Observability;

namespace Api.Hosting;

internal static class ClusterHostingExtensions
{
    /// <summary>
    /// Co-hosted: a silo runs in this process and its own client serves the endpoints.
    /// Client: this process is a pure Orleans client of separate silos. Either way the endpoints see one
    /// <see cref="IGrainFactory"/>, so nothing else depends on the topology.
    /// </summary>
    public static async Task<WebApplicationBuilder> AddSessionClusterAsync(this WebApplicationBuilder builder)
    {
        var cluster = ClusterHostingOptions.Read(builder.Configuration);
        var coHosted = cluster.Topology == ClusterTopology.CoHosted;
        var tracing = TelemetryExtensions.TracingEnabled(builder.Configuration);
        var redis = await StartupChecks.RunAsync(cluster, hostsSilo: coHosted);
        builder.Services.AddSharedRedisConnection(redis);
        if (coHosted)
        {
            builder.UseOrleans(silo =>
            {
                silo.UseConfiguredClustering(cluster).AddSessionGrains(cluster).AddSessionConflictRetry().AddDashboard();
                if (tracing)
                {
                    silo.AddSessionTracing();
                }
            });
            builder.Services.AddSiloHealthChecks(cluster);
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                client.UseConfiguredClustering(cluster).AddSessionConflictRetry().AddDashboard();
                if (tracing)
                {
                    client.AddActivityPropagation();
                }
            });
        }

        builder.Services.AddClusterHealthCheck();

        return builder;
    }
}
