using StackExchange.Redis;

namespace Cluster.Tests;

/// <summary>The server the cluster tests run on is the one chosen, and it runs the Lua scripts Orleans' providers send.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class RedisServerTests
{
    [Fact]
    public async Task The_chosen_server_runs_and_evaluates_scripts()
    {
        var port = LoopbackPort.Free();
        await using var server = RedisServer.Start(port);
        await server.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
        var database = redis.GetDatabase();

        var info = (await database.ExecuteAsync("INFO", "server")).ToString();
        var evaluated = await database.ScriptEvaluateAsync("return redis.call('INCRBY', KEYS[1], ARGV[1])", ["counter"], [41]);

        Assert.Equal(RedisServer.Kind == RedisServerKind.Garnet, info.Contains("garnet_version:", StringComparison.Ordinal));
        Assert.Equal(41, (int)evaluated);
    }
}
