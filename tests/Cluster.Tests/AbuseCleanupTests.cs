using System.Text;

namespace Cluster.Tests;

/// <summary>
/// Clients that vanish without a close frame, freeze, or trickle their request headers (slowloris): once the
/// timeouts pass, the service's own counters show no socket, connection, grain registration or timer left.
/// </summary>
[Collection(RunningClusterCollection.Name)]
public sealed class AbuseCleanupTests(RunningClusterFixture fixture)
{
    private const int Vanishing = 1000;
    private const int Trickling = 200;

    /// <summary>Short timeouts so the test waits seconds, not minutes; the defaults are 30 s, 60 s and 30 s.</summary>
    private static readonly Dictionary<string, string> ShortTimeouts = new()
    {
        ["WebSockets__KeepAliveInterval"] = "00:00:01",
        ["WebSockets__KeepAliveTimeout"] = "00:00:03",
        ["Http__RequestHeadersTimeout"] = "00:00:03",
    };

    [Fact]
    public async Task Vanished_frozen_and_trickling_clients_leave_no_socket_connection_registration_or_timer_behind()
    {
        // A front end of its own on the shared cluster: the short timeouts are its settings alone.
        var (process, frontEnd) = await fixture.Cluster.StartFrontEndAsync(settings: ShortTimeouts);
        try
        {
            await CleansUpAsync(frontEnd, fixture.Cluster.RunningSiloHttp());
        }
        finally
        {
            await LocalCluster.StopAsync(process);
        }
    }

    private static async Task CleansUpAsync(Uri frontEnd, IReadOnlyList<Uri> silos)
    {
        using var frontHttp = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(20) };
        var before = await ConnectionCounters.ReadAsync(frontHttp, silos);

        var upgraded = await UpgradeManyAsync(frontEnd, Vanishing);
        var trickling = await Task.WhenAll(Enumerable.Range(0, Trickling).Select(_ => StartTricklingAsync(frontEnd)));
        var whileHeld = await Deadline.PollAsync(
            () => ConnectionCounters.ReadAsync(frontHttp, silos),
            read => read.Sockets - before.Sockets >= Vanishing && read.Registered - before.Registered >= Vanishing,
            TimeSpan.FromSeconds(60));

        // Half die (reset, no close frame); the other half freeze: their kernel keeps the TCP connection, but
        // nothing reads, answers pings or closes. Meanwhile the trickling clients keep sending a header a second.
        foreach (var connection in upgraded.Take(Vanishing / 2))
        {
            connection.Reset();
        }

        using var stopTrickling = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var trickles = trickling.Select(connection => TrickleAsync(connection, stopTrickling.Token)).ToList();
        var after = await Deadline.PollAsync(
            () => ConnectionCounters.ReadAsync(frontHttp, silos),
            read => read == before,
            TimeSpan.FromSeconds(60));
        var tricklersDropped = await Task.WhenAll(trickles);
        await stopTrickling.CancelAsync();
        foreach (var connection in upgraded.Concat(trickling))
        {
            connection.Dispose();
        }

        Assert.Equal(Vanishing, whileHeld.Sockets - before.Sockets);
        Assert.Equal(Vanishing, whileHeld.Registered - before.Registered);
        // The trickling connections may already be gone by this read (their header timeout is 3 s); the upgraded ones are not.
        Assert.True(whileHeld.Connections - before.Connections >= Vanishing, $"Kestrel held {whileHeld.Connections} connections.");
        Assert.Equal(before, after);
        Assert.All(tricklersDropped, Assert.True);
    }

    private static async Task<List<RawConnection>> UpgradeManyAsync(Uri frontEnd, int count)
    {
        var connections = new List<RawConnection>(count);
        using var gate = new SemaphoreSlim(50);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var connection = await RawConnection.UpgradeAsync(frontEnd, "/ws");
                lock (connections)
                {
                    connections.Add(connection);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return connections;
    }

    private static async Task<RawConnection> StartTricklingAsync(Uri frontEnd)
    {
        var connection = await RawConnection.ConnectAsync(frontEnd);
        await connection.WriteAsync(Encoding.ASCII.GetBytes($"GET /ws HTTP/1.1\r\nHost: {frontEnd.Authority}\r\n"));
        return connection;
    }

    /// <summary>Sends one more header line a second, never the blank line that ends them; true once the server hung up.</summary>
    private static async Task<bool> TrickleAsync(RawConnection connection, CancellationToken stop)
    {
        var drained = connection.DrainUntilClosedAsync(TimeSpan.FromSeconds(60));
        for (var i = 0; !drained.IsCompleted && !stop.IsCancellationRequested; i++)
        {
            try
            {
                await connection.WriteAsync(Encoding.ASCII.GetBytes($"X-Trickle-{i}: {i}\r\n"));
                await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(1), stop));
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                break;
            }
        }

        return await drained;
    }
}
