namespace Cluster.Tests;

/// <summary>
/// Redis, two silos and two front ends, shared by every test class of <see cref="RunningClusterCollection"/>: classes
/// that leave the cluster as they found them (a process a test adds, it stops by its PID). Starting a cluster of real
/// processes costs seconds on a small machine, so these classes pay for one instead of one each.
/// </summary>
public sealed class RunningClusterFixture : IAsyncLifetime
{
    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync(silos: 2, frontEnds: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// The test classes that share <see cref="RunningClusterFixture"/>, and the lighter drills on clusters of their own
/// (<see cref="RedisPauseTests"/>, <see cref="ClientResumeTests"/>): one class at a time, beside <see cref="DrillCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RunningClusterCollection : ICollectionFixture<RunningClusterFixture>
{
    public const string Name = nameof(RunningClusterCollection);
}
