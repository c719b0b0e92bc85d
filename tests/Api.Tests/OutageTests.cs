using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Api.Http;
using Grains.Abstractions;
using Orleans.Persistence.Redis;
using Orleans.TestingHost;
using ClusterHosting;

namespace Api.Tests;

/// <summary>A front end (Orleans client) whose only silo goes away: requests are 503 naming the cluster, never 500.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task With_no_silo_reachable_requests_are_503_with_retry_after_over_http_and_on_the_session_socket()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 1);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<SessionSiloConfigurator>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        await using var host = ApiHost.Start(new Dictionary<string, string?>
        {
            ["Cluster:Topology"] = "Client",
            ["Cluster:ClusterId"] = cluster.Options.ClusterId,
            ["Cluster:ServiceId"] = cluster.Options.ServiceId,
            ["Cluster:GatewayPorts:0"] = cluster.Silos[0].GatewayAddress.Endpoint.Port.ToString(CultureInfo.InvariantCulture),
            ["WebSockets:RetryWindow"] = "00:00:01",
        });
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(host, id, token);
        await socket.ReceiveAsync();

        await cluster.StopAllSilosAsync();
        using var created = await api.SendAsync(HttpMethod.Post, "/sessions", token: null);
        await socket.SendAsync(new { type = "task.start", kind = "sleep", seconds = 1, @ref = 7 });
        var error = await socket.ReceiveAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, created.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), created.Headers.RetryAfter?.Delta);
        var problem = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cluster", problem.GetProperty("dependency").GetString());
        Assert.Contains("No silo", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", ProtocolClient.TypeOf(error));
        Assert.Equal(503, error.GetProperty("status").GetInt32());
        Assert.Equal(5, error.GetProperty("retryAfter").GetInt32());
        Assert.Equal(7, error.GetProperty("ref").GetInt32());
        Assert.Contains("No silo", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_failures_are_told_from_cluster_failures_and_from_faults_of_ours()
    {
        var wrappedByOrleans = new OrleansException("Error from storage provider", new RedisStorageException("timeout"));

        Assert.Equal(MissingDependency.Storage, DependencyOutage.Of(wrappedByOrleans));
        Assert.Equal(MissingDependency.Storage, DependencyOutage.Of(new SessionStorageUnavailableException("down")));
        Assert.Equal(MissingDependency.Storage, DependencyOutage.Of(new SessionStateConflictException("raced twice")));
        Assert.Equal(MissingDependency.Cluster, DependencyOutage.Of(new SiloUnavailableException()));
        Assert.Equal(MissingDependency.Cluster, DependencyOutage.Of(new TimeoutException()));
        Assert.Null(DependencyOutage.Of(new InvalidOperationException()));
    }

    private sealed class SessionSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddSessionGrains();
    }
}
