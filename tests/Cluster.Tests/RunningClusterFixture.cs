namespace Cluster.Tests;

/// <summary>Redis, two silos and two front ends, shared by tests that leave them as they found them.</summary>
public sealed class RunningClusterFixture : IAsyncLifetime
{
    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync(silos: 2, frontEnds: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
