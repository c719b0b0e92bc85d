using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using ClusterHosting;

namespace Grains.Tests;

/// <summary>A one-silo cluster whose tests collect idle activations at will (see <see cref="SessionLifetimeTests"/>).</summary>
public sealed class IdleCollectionFixture : IAsyncLifetime
{
    /// <summary>Not waited for by any test: distinct from the default, so a test can see it reach Orleans.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    public InProcessTestCluster Cluster { get; } = CreateCluster();

    public IGrainFactory Grains => Cluster.Client;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private static InProcessTestCluster CreateCluster()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:IdleTimeout"] = IdleTimeout.ToString(),
        }));

        // One silo: the in-process store the service uses by default, read back after every deactivation here.
        builder.ConfigureSilo((_, silo) => silo.AddSessionGrains(new ClusterHostingOptions { MemoryStorage = MemoryStorageKind.InProcess }));
        return builder.Build();
    }
}

[CollectionDefinition(Name)]
public sealed class IdleCollectionCollection : ICollectionFixture<IdleCollectionFixture>
{
    public const string Name = nameof(IdleCollectionCollection);
}
