using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Grains.Abstractions;
using Xunit.Abstractions;

namespace Cluster.Tests;

[Collection(RunningClusterCollection.Name)]
public sealed class GracefulShutdownTests(RunningClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan ShutdownWithin = TimeSpan.FromSeconds(35);

    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task One_session_reached_through_two_front_ends_has_one_state()
    {
        var (first, second) = (Cluster.FrontEnds[0].Address, Cluster.FrontEnds[1].Address);
        using var http = new HttpClient { BaseAddress = first, Timeout = TimeSpan.FromSeconds(30) };
        using var created = await http.PostAsync(new Uri("/sessions", UriKind.Relative), null);
        var session = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (id, token) = (session.GetProperty("id").GetString()!, session.GetProperty("resumeToken").GetString()!);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new Uri($"ws://{second.Authority}/ws?session={id}"), timeout.Token);
        var buffer = new byte[256];
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            await socket.ReceiveAsync(buffer, timeout.Token);
        }

        // The session answered each echo, so its count is already 3 while the socket is open.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/sessions/{id}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var read = await http.SendAsync(request);
        var state = await read.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(3, state.GetProperty("echoedMessages").GetInt64());
        Assert.Equal(1, state.GetProperty("openConnections").GetInt32());
    }

    [Fact]
    public async Task SIGTERM_to_a_front_end_closes_its_sockets_with_1001_and_it_exits_cleanly()
    {
        var (frontEnd, address) = await Cluster.StartFrontEndAsync();
        using var socket = await EchoSocket.ConnectAsync(address);
        Assert.True(await socket.EchoOnceAsync());

        await frontEnd.TerminateAsync();
        var closedWith = await socket.ReceiveCloseAsync(ShutdownWithin);
        var exited = await frontEnd.WaitForExitAsync(ShutdownWithin);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, closedWith);
        Assert.True(exited, frontEnd.Output);
        Assert.Equal(0, frontEnd.ExitCode);
    }

    [Fact]
    public async Task SIGTERM_to_a_silo_writes_its_sessions_and_leaves_membership()
    {
        var (silo, siloPort, _, _) = await Cluster.StartSiloAsync();
        await Cluster.WaitForActiveSilosAsync(3);
        var client = await Cluster.ClientAsync();

        // Echo counts are written by a timer or at deactivation; these sessions have no socket, so no timer runs.
        // Placement weighs silos by their load, which a new silo reports after a while: create until some land on it.
        var sessions = new List<ISessionGrain>();
        var onLeavingSilo = new List<ISessionGrain>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (onLeavingSilo.Count < 3 && DateTime.UtcNow < until)
        {
            foreach (var session in Enumerable.Range(0, 20).Select(_ => client.GetGrain<ISessionGrain>(SessionId.New().Value)))
            {
                await session.Create();
                await session.Echo("one");
                await session.Echo("two");
                sessions.Add(session);
            }

            var placement = await Cluster.SessionPlacementAsync();
            onLeavingSilo = [.. sessions.Where(session => placement.GetValueOrDefault(session.GetPrimaryKeyString()) == siloPort)];
            await Task.Delay(500);
        }

        output.WriteLine($"{onLeavingSilo.Count} of {sessions.Count} sessions on the silo that is stopped");

        await silo.TerminateAsync();
        var exited = await silo.WaitForExitAsync(ShutdownWithin);
        await Cluster.WaitForActiveSilosAsync(2);

        Assert.True(exited, silo.Output);
        Assert.Equal(0, silo.ExitCode);
        Assert.NotEmpty(onLeavingSilo);
        foreach (var session in onLeavingSilo)
        {
            Assert.Equal(2, (await session.GetSnapshot())!.EchoedMessages);
        }
    }
}
