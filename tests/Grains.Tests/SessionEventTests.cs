using Grains.Abstractions;

namespace Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SessionEventTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Two_sockets_receive_the_same_events_in_the_same_order()
    {
        var grain = await fixture.NewSessionAsync();
        var first = EventRecorder.Create(fixture.Grains);
        var second = EventRecorder.Create(fixture.Grains);
        var from = (await grain.Connect("a", first.Reference, events: true, lastSeq: null))!.Seq;
        await grain.Connect("b", second.Reference, events: true, lastSeq: null);

        await grain.StartTask(TaskSpec.Cpu(50_000), null);
        var seenByFirst = await first.ReadChainAsync(from, EventRecorder.IsFinal);
        var seenBySecond = await second.ReadChainAsync(from, EventRecorder.IsFinal);

        Assert.Equal(seenByFirst.Select(e => e.Seq), seenBySecond.Select(e => e.Seq));
        Assert.Equal(
            [SessionEventKind.TaskQueued, SessionEventKind.TaskStarted],
            seenByFirst.Take(2).Select(e => e.Kind));
        Assert.Equal(SessionEventKind.TaskCompleted, seenByFirst[^1].Kind);
    }

    [Fact]
    public async Task A_socket_without_events_is_counted_but_sent_nothing()
    {
        var grain = await fixture.NewSessionAsync();
        var quiet = EventRecorder.Create(fixture.Grains);
        var listening = EventRecorder.Create(fixture.Grains);
        await grain.Connect("quiet", quiet.Reference, events: false, lastSeq: null);
        var from = (await grain.Connect("listening", listening.Reference, events: true, lastSeq: null))!.Seq;

        await grain.StartTask(TaskSpec.Cpu(1000), null);
        await listening.ReadChainAsync(from, EventRecorder.IsFinal);

        Assert.Empty(quiet.Drain());
        Assert.Equal(2, (await grain.GetSnapshot())!.OpenConnections);
    }

    [Fact]
    public async Task Reconnecting_with_lastSeq_replays_exactly_the_missed_events()
    {
        var grain = await fixture.NewSessionAsync();
        var recorder = EventRecorder.Create(fixture.Grains);
        var from = (await grain.Connect("s1", recorder.Reference, events: true, lastSeq: null))!.Seq;
        await grain.StartTask(TaskSpec.Cpu(1000), null);
        var seen = await recorder.ReadChainAsync(from, EventRecorder.IsFinal);
        await grain.Disconnect("s1");

        var start = await grain.StartTask(TaskSpec.Cpu(1000), null);
        await grain.WaitForTask(start.Task!.Id, Deadline.Default, default);
        var later = EventRecorder.Create(fixture.Grains);
        var answer = await grain.Connect("s2", later.Reference, events: true, lastSeq: seen[^1].Seq);

        // The task may count as finished a moment before its completed event is published: then that
        // event is not missed but arrives live, right after the replay.
        var replayed = answer!.Missed.ToList();
        var live = replayed.Exists(EventRecorder.IsFinal) ? [] : await later.ReadChainAsync(answer.Seq, EventRecorder.IsFinal);

        Assert.Null(answer.ResetReason);
        Assert.Equal(answer.Missed.Count > 0 ? answer.Missed[^1].Seq : seen[^1].Seq, answer.Seq);
        var all = replayed.Concat(live).ToList();
        Assert.Equal(
            [SessionEventKind.TaskQueued, SessionEventKind.TaskStarted, SessionEventKind.TaskCompleted],
            all.Select(e => e.Kind).Where(kind => kind != SessionEventKind.TaskProgress));
        Assert.All(all, e => Assert.Equal(start.Task.Id, e.Task.Id));
        AssertChained(seen[^1].Seq, all);
    }

    [Fact]
    public async Task A_gap_older_than_the_log_gets_a_reset_with_every_task()
    {
        var grain = await fixture.NewSessionAsync();
        var recorder = EventRecorder.Create(fixture.Grains);
        var from = (await grain.Connect("s1", recorder.Reference, events: true, lastSeq: null))!.Seq;
        await grain.StartTask(TaskSpec.Cpu(1), null);
        var firstSeq = (await recorder.ReadChainAsync(from, _ => true))[0].Seq;

        // Each cpu task logs at least three events; this many push the first out of the log.
        for (var i = 0; i < ClusterFixture.EventLog / 3 + 1; i++)
        {
            var start = await grain.StartTask(TaskSpec.Cpu(1), null);
            await grain.WaitForTask(start.Task!.Id, Deadline.Default, default);
        }

        var answer = await grain.Connect("s2", EventRecorder.Create(fixture.Grains).Reference, events: true, lastSeq: firstSeq);

        var snapshot = await grain.GetSnapshot();
        Assert.NotNull(answer!.ResetReason);
        Assert.Empty(answer.Missed);
        Assert.True(ClusterFixture.EventLog / 3 + 2 == answer.Tasks.Count, $"{answer.Tasks.Count} tasks in the reset");
        // The last task's completed event may still be on its way out; the reset never runs ahead of the log.
        Assert.InRange(answer.Seq, firstSeq + ClusterFixture.EventLog, snapshot!.LastSeq);
    }

    [Fact]
    public async Task After_deactivation_numbering_continues_above_the_reservation_and_replay_still_links()
    {
        var grain = await fixture.NewSessionAsync();
        var recorder = EventRecorder.Create(fixture.Grains);
        var from = (await grain.Connect("s1", recorder.Reference, events: true, lastSeq: null))!.Seq;
        await grain.StartTask(TaskSpec.Cpu(1), null);
        var before = await recorder.ReadChainAsync(from, EventRecorder.IsFinal);

        await fixture.Cluster.DeactivateAsync(grain);
        var start = await grain.StartTask(TaskSpec.Cpu(1), null);
        await grain.WaitForTask(start.Task!.Id, Deadline.Default, default);
        var answer = await grain.Connect("s1", recorder.Reference, events: true, lastSeq: before[^1].Seq);
        var unknownPosition = await grain.Connect("s1", recorder.Reference, events: true, lastSeq: before[^1].Seq + 1);

        Assert.Null(answer!.ResetReason);
        Assert.Equal(before[^1].Seq, answer.Missed[0].PreviousSeq);
        Assert.True(answer.Missed[0].Seq > before[^1].Seq + 1, "a new activation skips the numbers its predecessor reserved");
        Assert.NotNull(unknownPosition!.ResetReason);
    }

    [Fact]
    public async Task Deleting_the_session_tells_its_sockets()
    {
        var grain = await fixture.NewSessionAsync();
        var recorder = EventRecorder.Create(fixture.Grains);
        await grain.Connect("s1", recorder.Reference, events: false, lastSeq: null);

        await grain.Delete();

        Assert.Equal("The session was ended.", await recorder.Ended.Task.WaitAsync(Deadline.Default));
    }

    private static void AssertChained(long from, IEnumerable<SessionEvent> events)
    {
        var previous = from;
        foreach (var sessionEvent in events)
        {
            Assert.Equal(previous, sessionEvent.PreviousSeq);
            Assert.True(sessionEvent.Seq > previous);
            previous = sessionEvent.Seq;
        }
    }
}
