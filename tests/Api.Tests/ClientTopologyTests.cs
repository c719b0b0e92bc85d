using System.Net;
using Api.Tests.Client;
using Sessions.Client;

namespace Api.Tests;

[Collection(ClientTopologyCollection.Name)]
public sealed class ClientTopologyTests(ClientTopologyFixture fixture)
{
    [Fact]
    public async Task Process_is_served_by_a_separate_silo_cluster()
    {
        using var http = fixture.Host.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/process", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"Done!\"}", await response.Content.ReadAsStringAsync());
        var sessionId = response.Headers.GetValues("X-Session-Id").Single();
        Assert.Equal(1, (await fixture.Host.ReadSessionAsync(sessionId))!.FinishedTasks);
    }

    [Fact]
    public async Task An_echo_is_counted_by_its_session_grain_in_a_separate_silo()
    {
        using var client = await SocketClient.ConnectAsync(new Uri(fixture.Host.SocketAddress, "/ws"));

        await client.SendTextAsync("across processes");

        Assert.Equal("Echo: across processes", await client.ReceiveTextAsync());
        var grain = fixture.Cluster.Client.GetGrain<Grains.Abstractions.ISessionGrain>(client.SessionId);
        var seenByTheCluster = await Deadline.PollAsync(grain.GetSnapshot, s => s?.EchoedMessages == 1);
        Assert.Equal(1, seenByTheCluster!.EchoedMessages);
        Assert.Equal(1, seenByTheCluster.OpenConnections);
    }

    [Fact]
    public async Task Sessions_are_placed_on_both_silos()
    {
        using var http = fixture.Host.CreateHttpClient();
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);

        // Held open: a session without a token leaves memory once its last socket closes.
        var sockets = new List<SocketClient>();
        for (var i = 0; i < 20; i++)
        {
            var socket = await SocketClient.ConnectAsync(new Uri(fixture.Host.SocketAddress, "/ws"));
            sockets.Add(socket);
            await socket.SendTextAsync("hi");
            await socket.ReceiveTextAsync();
        }

        var statistics = await management.GetDetailedGrainStatistics();
        sockets.ForEach(socket => socket.Dispose());
        var silosHostingSessions = statistics
            .Where(stat => stat.GrainId.Type.ToString() == "session")
            .Select(stat => stat.SiloAddress)
            .Distinct()
            .Count();
        Assert.Equal(2, silosHostingSessions);
    }

    [Fact]
    public async Task Task_events_reach_a_socket_held_by_a_front_end_outside_the_cluster()
    {
        using var http = fixture.Host.CreateHttpClient();
        var session = await new SessionsApi(http).CreateSessionAsync();
        await using var socket = await SessionSocket.ConnectAsync(fixture.Host.BaseAddress, session);

        var started = await socket.StartTaskAsync(TaskStartRequest.Sleep(0.5));
        var events = await EventLog.ReadUntilFinishedAsync(socket, started.Task.Id);

        Assert.Contains(events, message => message.Type == "task.started");
        Assert.Equal("task.completed", events[^1].Type);
    }
}
