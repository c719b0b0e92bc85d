using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using ClusterHosting;

namespace Grains.Tests;

/// <summary>A real two-silo Orleans cluster, shared by the tests of one collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The silo-wide CPU bound the tests configure, independent of the machine's core count.</summary>
    public const int MaxConcurrentCpu = 2;

    /// <summary>A short event log, so a test can outrun it.</summary>
    public const int EventLog = 50;

    public InProcessTestCluster Cluster { get; } = CreateCluster();

    public IGrainFactory Grains => Cluster.Client;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private static InProcessTestCluster CreateCluster()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tasks:MaxConcurrentCpu"] = MaxConcurrentCpu.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tasks:ProgressInterval"] = "00:00:00.200",
            ["Sessions:EventLog"] = EventLog.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        builder.ConfigureSilo((_, silo) => silo.AddSessionGrains());
        builder.ConfigureClient(client => client.AddSessionConflictRetry());
        return builder.Build();
    }
}
