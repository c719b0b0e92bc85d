using Grains.Abstractions;
using Sessions.Client;
using ResumingSocket = Sessions.Client.SessionSocket;

namespace Cluster.Tests;

/// <summary>Sessions.Client's socket across a front end that dies without closing its sockets.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class ClientResumeTests
{
    [Fact]
    public async Task The_client_library_resumes_after_its_front_end_is_killed_with_no_event_lost_or_repeated()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, frontEnds: 0);
        var port = LoopbackPort.Free();
        var (frontEnd, address) = await cluster.StartFrontEndAsync(port);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var api = new SessionsApi(http);
        var session = await api.CreateSessionAsync();
        var options = new SessionSocketOptions { MaxReconnectDelay = TimeSpan.FromSeconds(1) };
        await using var socket = await ResumingSocket.ConnectAsync(address, session, lastSeq: 0, options);
        var started = await api.StartTaskAsync(session, TaskStartRequest.Sleep(4));
        var grain = (await cluster.ClientAsync()).GetGrain<ISessionGrain>(session.Id);

        var received = new List<SessionSocketEvent>();
        var killed = false;
        await foreach (var message in socket.ReadEventsAsync(Deadline.Token(TimeSpan.FromSeconds(90))))
        {
            received.Add(message);
            if (message.Type == "task.progress" && !killed)
            {
                killed = true;
                frontEnd.KillHard();
                Assert.True(await frontEnd.WaitForExitAsync(TimeSpan.FromSeconds(10)));
                // An event published while no front end serves the socket can only come back as a replay.
                await Deadline.PollAsync(grain.GetSnapshot, snapshot => snapshot?.LastSeq > message.Seq);
                await cluster.StartFrontEndAsync(port);
            }

            if (message.Task is { IsFinished: true } task && task.Id == started.Task.Id)
            {
                break;
            }
        }

        var seqs = received.Where(message => message.IsTaskEvent).Select(message => message.Seq).ToArray();
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(seq => (long)seq), seqs);
        Assert.Equal("task.completed", received[^1].Type);
        Assert.True(socket.Reconnects >= 1, "The socket never reconnected.");
        Assert.True(received.Where(message => message.Type == "welcome").Skip(1).Sum(welcome => welcome.Replay) >= 1, "No event was replayed.");
    }
}
