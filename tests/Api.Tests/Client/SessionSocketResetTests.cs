using Sessions.Client;

namespace Api.Tests.Client;

[Collection(CoHostedCollection.Name)]
public sealed class SessionSocketResetTests(CoHostedApiFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_lastSeq_ahead_of_the_session_surfaces_a_reset_and_later_events_still_arrive()
    {
        using var http = fixture.Host.CreateHttpClient();
        var api = new SessionsApi(http);
        var session = await api.CreateSessionAsync();
        var earlier = await api.StartTaskAsync(session, TaskStartRequest.Sleep(0.05), wait: Wait);

        await using var socket = await SessionSocket.ConnectAsync(fixture.Host.BaseAddress, session, lastSeq: 1000);
        var later = await socket.StartTaskAsync(TaskStartRequest.Sleep(0.05));
        var received = await EventLog.ReadUntilFinishedAsync(socket, later.Task.Id);

        var reset = received[0];
        Assert.Equal("reset", reset.Type);
        Assert.Contains("ahead of the session's latest event", reset.Reason, StringComparison.Ordinal);
        Assert.Equal([(earlier.Task.Id, "succeeded")], reset.Tasks!.Select(task => (task.Id, task.Status)));
        var seqs = EventLog.TaskEventSeqs(received);
        Assert.Equal(Enumerable.Range((int)reset.Seq + 1, seqs.Length).Select(seq => (long)seq), seqs);
        Assert.Equal(seqs[^1], socket.LastSeq);
    }

    [Fact]
    public async Task Events_dropped_from_the_log_while_disconnected_surface_as_a_reset_with_the_tasks_as_they_are()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Sessions:EventLog"] = "2";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();
        var api = new SessionsApi(http);
        var session = await api.CreateSessionAsync();
        // The reconnect delay runs on a clock the test moves: it passes only once the two tasks below have pushed 4 events through a log of 2.
        var clock = new TimerWatchingClock();
        var options = new SessionSocketOptions { TimeProvider = clock };
        await using var socket = await SessionSocket.ConnectAsync(host.BaseAddress, session, lastSeq: 0, options);
        var first = await api.StartTaskAsync(session, TaskStartRequest.Sleep(0.05), wait: Wait);
        var beforeDrop = await EventLog.ReadUntilFinishedAsync(socket, first.Task.Id);

        socket.Drop();
        string[] missed = [(await api.StartTaskAsync(session, TaskStartRequest.Sleep(0.05), wait: Wait)).Task.Id,
            (await api.StartTaskAsync(session, TaskStartRequest.Sleep(0.05), wait: Wait)).Task.Id];
        clock.Advance(await clock.NextTimerAsync());
        var reconnected = await EventLog.ReadUntilAsync(socket, message => message.Type is "reset" or "welcome");
        var last = await socket.StartTaskAsync(TaskStartRequest.Sleep(0.05));
        var afterReset = await EventLog.ReadUntilFinishedAsync(socket, last.Task.Id);

        Assert.Equal([1L, 2L], EventLog.TaskEventSeqs(beforeDrop));
        var reset = Assert.Single(reconnected);
        Assert.Equal(("reset", 6L), (reset.Type, reset.Seq));
        Assert.Contains("older than the session's log", reset.Reason, StringComparison.Ordinal);
        Assert.Equal([missed[1], missed[0], first.Task.Id], reset.Tasks!.Select(task => task.Id));
        Assert.All(reset.Tasks!, task => Assert.Equal("succeeded", task.Status));
        Assert.Equal([7L, 8L], EventLog.TaskEventSeqs(afterReset));
        Assert.Equal(8, socket.LastSeq);
    }
}
