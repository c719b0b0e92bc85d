using System.Net;
using Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;

namespace ClusterHosting;

public static class SiloBuilderExtensions
{
    /// <summary>Everything session grains need: storage and reminders from the configured provider, options, clock.</summary>
    public static ISiloBuilder AddSessionGrains(this ISiloBuilder silo, ClusterHostingOptions cluster)
    {
        if (cluster.Provider == ClusterProvider.Redis)
        {
            var redis = cluster.RedisConnectionString!;
            silo.Services.AddKeyedSingleton<IGrainStorage>(SessionStorage.Name, (services, _) => new RedisSessionStorage(
                services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                services.GetRequiredService<SharedRedisConnection>().Multiplexer,
                SessionStateSerializer(services),
                services.GetRequiredKeyedService<TimeProvider>(SessionClock.Key)));
            silo.UseRedisReminderService(options => options.ConfigurationOptions = RedisConnection.Options(redis));
        }
        else
        {
            if (cluster.MemoryStorage == MemoryStorageKind.InProcess)
            {
                silo.Services.AddSingleton<StoreMetrics>();
                silo.Services.AddKeyedSingleton<IGrainStorage>(SessionStorage.Name, (services, _) => new InProcessGrainStorage(
                    SessionStateSerializer(services),
                    services.GetRequiredKeyedService<TimeProvider>(SessionClock.Key),
                    services.GetRequiredService<IOptions<SessionOptions>>().Value.MaxStoredSessions,
                    services.GetRequiredService<StoreMetrics>(),
                    services.GetRequiredService<ILogger<InProcessGrainStorage>>()));
            }
            else
            {
                // Several localhost silos (test clusters) share Orleans' memory storage grains, which expire nothing:
                // the session grain still treats state past its expiry as gone.
                silo.AddMemoryGrainStorage(SessionStorage.Name);
            }

            silo.UseInMemoryReminderService();
        }

        // Orleans' binary format rather than the JSON default: session state is written on every task start and
        // finish, and JSON serialization dominated that write's cost.
        silo.Services.AddOptions<MemoryGrainStorageOptions>(SessionStorage.Name).Configure<Serializer>(
            (options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));

        silo.Configure<GrainDirectoryOptions>(options =>
        {
            options.CacheSize = cluster.DirectoryCacheSize;
            if (cluster.Provider == ClusterProvider.Localhost && cluster.MemoryStorage == MemoryStorageKind.InProcess)
            {
                // One silo finds every grain in its own directory: a cache of addresses would only hold dead sessions.
                options.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None;
            }
        });
        silo.Services.AddSessionGrainServices();
        return silo;
    }

    private static OrleansGrainStorageSerializer SessionStateSerializer(IServiceProvider services) =>
        new(services.GetRequiredService<Serializer>());

    /// <summary>
    /// The localhost provider with Orleans' shared memory storage, which test clusters of several silos need
    /// (a session may move between them).
    /// </summary>
    public static ISiloBuilder AddSessionGrains(this ISiloBuilder silo) =>
        silo.AddSessionGrains(new ClusterHostingOptions { MemoryStorage = MemoryStorageKind.Shared });

    /// <summary>Joins the cluster the configuration describes.</summary>
    public static ISiloBuilder UseConfiguredClustering(this ISiloBuilder silo, ClusterHostingOptions cluster)
    {
        if (cluster.Provider == ClusterProvider.Localhost)
        {
            var primary = cluster.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
            return silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
        }

        silo.UseRedisClustering(options => options.ConfigurationOptions = RedisConnection.Options(cluster.RedisConnectionString!));
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(cluster.Address, cluster.SiloPort, cluster.GatewayPort);
        if (cluster.Kubernetes)
        {
            // Overrides the address and cluster identity with the pod's (POD_IP, orleans/clusterId labels).
            silo.UseKubernetesHosting();
        }

        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = cluster.Membership.ProbeTimeout;
            options.MaxProbeTimeout = cluster.Membership.MaxProbeTimeout ?? cluster.Membership.ProbeTimeout;
            options.NumMissedProbesLimit = cluster.Membership.MissedProbesLimit;
            options.IAmAliveTablePublishTimeout = cluster.Membership.HeartbeatPeriod;
        });
        return silo;
    }
}
