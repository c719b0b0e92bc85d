using System.Globalization;
using Orleans.TestingHost;
using ClusterHosting;

namespace Api.Tests;

/// <summary>The front end as a pure Orleans client of a separate two-silo cluster reached over TCP.</summary>
public sealed class ClientTopologyFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public ApiHost Host { get; private set; } = null!;

    /// <summary>What a front end needs to reach the cluster, for tests that start front ends of their own.</summary>
    public IReadOnlyDictionary<string, string?> FrontEndSettings { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<SessionSiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();

        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Topology"] = "Client",
            ["Cluster:ClusterId"] = Cluster.Options.ClusterId,
            ["Cluster:ServiceId"] = Cluster.Options.ServiceId,
            ["Process:Seconds"] = "1",
        };
        var gateways = Cluster.Silos.Select(silo => silo.GatewayAddress.Endpoint.Port).ToArray();
        for (var i = 0; i < gateways.Length; i++)
        {
            settings[$"Cluster:GatewayPorts:{i}"] = gateways[i].ToString(CultureInfo.InvariantCulture);
        }

        FrontEndSettings = settings;
        Host = ApiHost.Start(settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SessionSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddSessionGrains();
    }
}

[CollectionDefinition(Name)]
public sealed class ClientTopologyCollection : ICollectionFixture<ClientTopologyFixture>
{
    public const string Name = nameof(ClientTopologyCollection);
}
