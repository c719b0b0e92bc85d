using Grains.Abstractions;
using Sessions.Client;

namespace Api.Tests.Client;

[Collection(ClientTopologyCollection.Name)]
public sealed class FrontEndRestartResumeTests(ClientTopologyFixture fixture)
{
    [Fact]
    public async Task Events_missed_while_the_front_end_restarts_are_replayed_once()
    {
        var port = LoopbackPort.Free();
        var frontEnd = ApiHost.Start(fixture.FrontEndSettings, port: port);
        try
        {
            using var http = frontEnd.CreateHttpClient();
            var api = new SessionsApi(http);
            var session = await api.CreateSessionAsync();
            await using var socket = await SessionSocket.ConnectAsync(
                frontEnd.BaseAddress, session, lastSeq: 0, new SessionSocketOptions { MaxReconnectDelay = TimeSpan.FromSeconds(1) });
            var started = await api.StartTaskAsync(session, TaskStartRequest.Sleep(3), idempotencyKey: "restart");

            var restarted = false;
            var received = await EventLog.ReadUntilFinishedAsync(socket, started.Task.Id, async message =>
            {
                if (message.Type != "task.progress" || restarted)
                {
                    return;
                }

                restarted = true;
                await frontEnd.DisposeAsync();
                var grain = fixture.Cluster.Client.GetGrain<ISessionGrain>(session.Id);
                await Deadline.PollAsync(grain.GetSnapshot, snapshot => snapshot?.LastSeq > message.Seq);
                frontEnd = ApiHost.Start(fixture.FrontEndSettings, port: port);
            });

            var seqs = EventLog.TaskEventSeqs(received);
            Assert.Equal(Enumerable.Range(1, seqs.Length).Select(seq => (long)seq), seqs);
            Assert.Equal("task.completed", received[^1].Type);
            var resumed = received.Where(message => message.Type == "welcome").Skip(1).ToList();
            Assert.NotEmpty(resumed);
            Assert.True(resumed.Sum(welcome => welcome.Replay) >= 1, "No event was replayed after the restart.");
        }
        finally
        {
            await frontEnd.DisposeAsync();
        }
    }
}
