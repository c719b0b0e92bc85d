using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace ClusterHosting;

public static class ClientBuilderExtensions
{
    /// <summary>Connects a front end to the cluster the configuration describes.</summary>
    public static IClientBuilder UseConfiguredClustering(this IClientBuilder client, ClusterHostingOptions cluster)
    {
        if (cluster.Provider == ClusterProvider.Localhost)
        {
            return client.UseLocalhostClustering(cluster.ClientGatewayPorts, cluster.ServiceId, cluster.ClusterId);
        }

        // The gateway list comes from the membership table in Redis; refreshing it often lets a front end
        // drop a dead silo's gateway and use the others.
        client.UseRedisClustering(options => options.ConfigurationOptions = RedisConnection.Options(cluster.RedisConnectionString!));
        client.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = cluster.Membership.GatewayListRefresh);
        return client;
    }
}
