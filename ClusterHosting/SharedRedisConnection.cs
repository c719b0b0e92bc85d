using StackExchange.Redis;

namespace ClusterHosting;

/// <summary>
/// The one Redis connection of a process, opened by the start-up probe and then used by clustering, reminders and
/// the storage health check: a multiplexer is made to be shared, and each extra one is two more sockets and another
/// reconnect loop. Resolve it (or <see cref="IConnectionMultiplexer"/>) from DI; an Orleans provider takes it through
/// <see cref="ForProvider{TOptions}"/>, which tells the provider not to dispose it.
/// </summary>
public sealed class SharedRedisConnection(IConnectionMultiplexer multiplexer) : IAsyncDisposable
{
    public IConnectionMultiplexer Multiplexer => multiplexer;

    /// <summary>A <c>CreateMultiplexer</c> delegate for Orleans' Redis options.</summary>
    public Task<(IConnectionMultiplexer Multiplexer, bool IsShared)> ForProvider<TOptions>(TOptions options) => Task.FromResult((multiplexer, true));

    public ValueTask DisposeAsync() => multiplexer.DisposeAsync();
}
