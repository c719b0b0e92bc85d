using System.Globalization;
using StackExchange.Redis;

namespace Cluster.Tests;

/// <summary>Each process keeps one Redis connection for clustering, reminders, health and the start-up probe.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class RedisConnectionSharingTests(RunningClusterFixture fixture)
{
    // A multiplexer holds two sockets: commands and pub/sub.
    private const int SocketsPerConnection = 2;

    [Fact]
    public async Task Silos_and_front_ends_share_one_connection_across_clustering_reminders_and_health()
    {
        var cluster = fixture.Cluster;
        var silo = cluster.Silos[0];
        var frontEnd = cluster.FrontEnds[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var siloReady = await http.GetAsync(new Uri(silo.Http, "/health/ready"));
        using var frontEndReady = await http.GetAsync(new Uri(frontEnd.Address, "/health/ready"));

        // A session created and stored, so session storage has used its connection too.
        using var created = await http.PostAsync(new Uri(frontEnd.Address, "/sessions"), content: null);

        var clients = await ClientNamesAsync(cluster.RedisPort);

        Assert.Equal(System.Net.HttpStatusCode.OK, siloReady.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, frontEndReady.StatusCode);
        Assert.Equal(SocketsPerConnection, clients.Count(name => name == $"Api-{Text(frontEnd.Process.Pid)}"));

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(SocketsPerConnection, clients.Count(name => name == $"Silo-{Text(silo.Process.Pid)}"));
    }

    private static async Task<List<string>> ClientNamesAsync(int port)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Text(port)},name=test-observer");
        var list = (await redis.GetDatabase().ExecuteAsync("CLIENT", "LIST")).ToString();
        return [.. list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(line => line.Split(' '))
            .Where(field => field.StartsWith("name=", StringComparison.Ordinal))
            .Select(field => field["name=".Length..].Trim())];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
