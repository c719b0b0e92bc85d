using Sessions.Client;

namespace Api.Tests.Client;

[Collection(CoHostedCollection.Name)]
public sealed class SessionSocketResumeTests(CoHostedApiFixture fixture)
{
    [Fact]
    public async Task Events_arrive_once_each_in_order_across_a_dropped_socket()
    {
        using var http = fixture.Host.CreateHttpClient();
        var session = await new SessionsApi(http).CreateSessionAsync();
        await using var socket = await SessionSocket.ConnectAsync(fixture.Host.BaseAddress, session, lastSeq: 0);

        var started = await socket.StartTaskAsync(TaskStartRequest.Sleep(3));
        var dropped = false;
        var received = await EventLog.ReadUntilFinishedAsync(socket, started.Task.Id, message =>
        {
            if (message.Type == "task.progress" && !dropped)
            {
                dropped = true;
                socket.Drop();
            }

            return Task.CompletedTask;
        });

        Assert.True(socket.Reconnects >= 1);
        var seqs = EventLog.TaskEventSeqs(received);
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(seq => (long)seq), seqs);
        Assert.Equal("task.completed", received[^1].Type);
        Assert.Equal(2, received.Count(message => message.Type == "welcome"));
    }

    [Fact]
    public async Task Http_calls_wait_for_an_outcome_and_replay_an_idempotent_start()
    {
        using var http = fixture.Host.CreateHttpClient();
        var api = new SessionsApi(http);
        var session = await api.CreateSessionAsync();

        var first = await api.StartTaskAsync(session, TaskStartRequest.Cpu(1000), idempotencyKey: "k1", wait: TimeSpan.FromSeconds(10));
        var repeat = await api.StartTaskAsync(session, TaskStartRequest.Cpu(1000), idempotencyKey: "k1");
        var refused = await Assert.ThrowsAsync<SessionProtocolException>(() => api.StartTaskAsync(session, TaskStartRequest.Sleep(-1)));

        Assert.Equal(("succeeded", false), (first.Task.Status, first.Replayed));
        Assert.Equal((first.Task.Id, true), (repeat.Task.Id, repeat.Replayed));
        Assert.Equal((400, "seconds"), (refused.Status, refused.Field));
    }

    [Fact]
    public async Task Socket_requests_are_answered_by_ref_and_errors_throw()
    {
        using var http = fixture.Host.CreateHttpClient();
        var session = await new SessionsApi(http).CreateSessionAsync();
        await using var socket = await SessionSocket.ConnectAsync(fixture.Host.BaseAddress, session);

        var echoes = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => socket.EchoAsync($"m{i}")));
        var refused = await Assert.ThrowsAsync<SessionProtocolException>(() => socket.StartTaskAsync(TaskStartRequest.Cpu(0)));

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Echo: m{i}"), echoes);
        Assert.Equal((400, "work"), (refused.Status, refused.Field));
        Assert.Equal("not_found", await socket.CancelTaskAsync("999"));
    }
}
