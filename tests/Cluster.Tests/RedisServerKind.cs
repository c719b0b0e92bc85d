namespace Cluster.Tests;

/// <summary>The Redis-compatible servers the cluster tests run on.</summary>
public enum RedisServerKind
{
    /// <summary>Debian's <c>redis-server</c>, found on the PATH.</summary>
    RedisServer,

    /// <summary>Microsoft's Garnet from NuGet, hosted by <c>tests/GarnetHost</c>: needs nothing but the .NET SDK.</summary>
    Garnet,
}
