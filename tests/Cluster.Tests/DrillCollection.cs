namespace Cluster.Tests;

/// <summary>
/// The drills that kill or pause a silo under load, each on a cluster of its own: one at a time, beside the classes of
/// <see cref="RunningClusterCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DrillCollection
{
    public const string Name = nameof(DrillCollection);
}
