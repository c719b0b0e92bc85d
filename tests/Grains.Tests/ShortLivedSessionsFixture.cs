using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using ClusterHosting;

namespace Grains.Tests;

/// <summary>A one-silo cluster where idle sessions leave memory within seconds and expire soon after.</summary>
public sealed class ShortLivedSessionsFixture : IAsyncLifetime
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(15);

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
            ["Sessions:Retention"] = Retention.ToString(),
            ["Sessions:FlushInterval"] = "00:00:01",
        }));
        builder.ConfigureSilo((_, silo) =>
        {
            // One silo: the in-process store the service uses by default, read back after every deactivation here.
            silo.AddSessionGrains(new ClusterHostingOptions { MemoryStorage = MemoryStorageKind.InProcess });
            silo.Services.Configure<GrainCollectionOptions>(options => options.CollectionQuantum = TimeSpan.FromMilliseconds(500));
        });
        return builder.Build();
    }
}

[CollectionDefinition(Name)]
public sealed class ShortLivedSessionsCollection : ICollectionFixture<ShortLivedSessionsFixture>
{
    public const string Name = nameof(ShortLivedSessionsCollection);
}
