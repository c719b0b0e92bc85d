using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Silo.Observability;

/// <summary>Ready when the silo's storage answers: a PING to Redis; in-memory storage is always there.</summary>
public sealed class StorageHealthCheck(ClusterHostingOptions cluster) : IHealthCheck, IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (cluster.Provider != ClusterProvider.Redis)
        {
            return HealthCheckResult.Healthy("In-memory storage.");
        }

        try
        {
            var redis = await ConnectAsync(cancellationToken);
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_redis is not null)
        {
            return _redis;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            return _redis ??= await ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(cluster.RedisConnectionString!));
        }
        finally
        {
            _connecting.Release();
        }
    }
}
