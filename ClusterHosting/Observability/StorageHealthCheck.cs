using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ClusterHosting.Observability;

/// <summary>
/// Ready when the silo's storage answers: a PING over the process's shared Redis connection, which exists only with
/// the Redis provider; in-memory storage is always there.
/// </summary>
public sealed class StorageHealthCheck(SharedRedisConnection? redis = null) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (redis is null)
        {
            return HealthCheckResult.Healthy("In-memory storage.");
        }

        try
        {
            var latency = await redis.Multiplexer.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", exception);
        }
    }
}
