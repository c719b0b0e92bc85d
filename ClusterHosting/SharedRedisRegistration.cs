using Microsoft.Extensions.DependencyInjection;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace ClusterHosting;

public static class SharedRedisRegistration
{
    /// <summary>
    /// Puts the start-up probe's connection in the container (disposed with it) and hands it to Orleans' Redis
    /// clustering and reminders. Nothing happens for the localhost provider, which has no connection.
    /// </summary>
    public static IServiceCollection AddSharedRedisConnection(this IServiceCollection services, SharedRedisConnection? connection)
    {
        if (connection is null)
        {
            return services;
        }

        services.AddSingleton(_ => connection);
        services.AddSingleton(connection.Multiplexer);
        services.AddOptions<RedisClusteringOptions>().Configure<SharedRedisConnection>((options, shared) => options.CreateMultiplexer = shared.ForProvider);
        services.AddOptions<RedisReminderTableOptions>().Configure<SharedRedisConnection>((options, shared) => options.CreateMultiplexer = shared.ForProvider);
        return services;
    }
}
