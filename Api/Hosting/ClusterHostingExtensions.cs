using Orleans.Dashboard;
using Silo;

namespace Api.Hosting;

internal static class ClusterHostingExtensions
{
    /// <summary>
    /// Co-hosted: a silo runs in this process and its own client serves the endpoints.
    /// Client: this process is a pure Orleans client of separate silos. Either way the endpoints see one
    /// <see cref="IGrainFactory"/>, so nothing else depends on the topology.
    /// </summary>
    public static WebApplicationBuilder AddSessionCluster(this WebApplicationBuilder builder)
    {
        var cluster = ClusterHostingOptions.Read(builder.Configuration);
        if (cluster.Topology == ClusterTopology.CoHosted)
        {
            builder.UseOrleans(silo => silo
                .UseConfiguredClustering(cluster)
                .AddSessionGrains()
                .AddDashboard());
        }
        else
        {
            builder.UseOrleansClient(client => client
                .UseLocalhostClustering(cluster.ClientGatewayPorts, cluster.ServiceId, cluster.ClusterId)
                .AddDashboard());
        }

        return builder;
    }
}
