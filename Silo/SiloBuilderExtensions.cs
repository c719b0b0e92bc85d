using System.Net;
using Grains;

namespace Silo;

public static class SiloBuilderExtensions
{
    /// <summary>Everything session grains need, whatever the clustering: storage, options, clock.</summary>
    public static ISiloBuilder AddSessionGrains(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(SessionStorage.Name);
        silo.UseInMemoryReminderService();
        silo.Services.AddSessionGrainServices();
        return silo;
    }

    /// <summary>Joins the cluster the configuration describes.</summary>
    public static ISiloBuilder UseConfiguredClustering(this ISiloBuilder silo, ClusterHostingOptions cluster)
    {
        var primary = cluster.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
        return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
    }
}
