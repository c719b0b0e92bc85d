using Grains.Abstractions;

namespace Grains.Tests.Parts;

public sealed class SessionEventLogTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static TaskRecord Task(string id) => new()
    {
        Id = id,
        Kind = SessionTaskKind.Sleep,
        Status = SessionTaskStatus.Running,
        CreatedAt = PartsClock.Start,
        StartedAt = PartsClock.Start,
        Duration = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void An_event_goes_out_only_once_a_write_has_reserved_its_number()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var log = new SessionEventLog(() => session, clock, capacity: 10);
        log.Append(SessionEventKind.TaskStarted, Task("1"));

        var beforeWrite = log.TryTakeSendable(out _);
        var mustStore = log.MustStoreBeforeSending;
        log.Stored(session.SeqReserved, session.LastSeq);
        var afterWrite = log.TryTakeSendable(out var sent);

        Assert.False(beforeWrite);
        Assert.True(mustStore);
        Assert.True(afterWrite);
        Assert.Equal(1, sent.Seq);
        Assert.Equal(1 + SessionEventLog.ReservationBlock, session.SeqReserved);
    }

    [Fact]
    public void An_event_counts_as_unstored_until_a_write_that_began_after_it_succeeds()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var log = new SessionEventLog(() => session, clock, capacity: 10);
        log.Append(SessionEventKind.TaskStarted, Task("1"));
        var (reservation, lastSeq) = (session.SeqReserved, session.LastSeq);

        var beforeWrite = log.HasUnstored;
        log.Append(SessionEventKind.TaskProgress, Task("1"));
        log.Stored(reservation, lastSeq);
        var afterEarlierWrite = log.HasUnstored;
        log.Stored(session.SeqReserved, session.LastSeq);

        Assert.True(beforeWrite);
        Assert.True(afterEarlierWrite);
        Assert.False(log.HasUnstored);
    }

    [Fact]
    public void Events_within_a_stored_reservation_need_no_write_of_their_own()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var log = new SessionEventLog(() => session, clock, capacity: 10);
        log.Append(SessionEventKind.TaskStarted, Task("1"));
        log.Stored(session.SeqReserved, session.LastSeq);

        log.Append(SessionEventKind.TaskProgress, Task("1"));

        Assert.False(log.MustStoreBeforeSending);
        Assert.True(log.TryTakeSendable(out _));
        Assert.True(log.TryTakeSendable(out var second));
        Assert.Equal(1, second.PreviousSeq);
    }

    [Fact]
    public void A_new_activation_numbers_above_the_stored_reservation_and_links_to_the_last_event()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var before = new SessionEventLog(() => session, clock, capacity: 10);
        before.Append(SessionEventKind.TaskStarted, Task("1"));
        var reserved = session.SeqReserved;

        var after = new SessionEventLog(() => session, clock, capacity: 10);
        after.Resume();
        after.Append(SessionEventKind.TaskCompleted, Task("1"));

        Assert.Equal(reserved + 1, session.LastSeq);
        Assert.Equal(1, session.Events[^1].PreviousSeq);
    }

    [Fact]
    public void Replay_returns_exactly_the_missed_events_as_their_task_was_then()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var log = new SessionEventLog(() => session, clock, capacity: 10);
        var task = Task("1");
        session.Tasks.Add(task);
        log.Append(SessionEventKind.TaskStarted, task);
        log.Append(SessionEventKind.TaskProgress, task with { Progress = 40 });
        session.Tasks[0] = task with { Status = SessionTaskStatus.Succeeded, Progress = 100 };
        log.Append(SessionEventKind.TaskCompleted, session.Tasks[0]);
        log.Stored(session.SeqReserved, session.LastSeq);
        while (log.TryTakeSendable(out _))
        {
        }

        var answer = log.Replay(lastSeq: 1, Lease);

        Assert.Null(answer.ResetReason);
        Assert.Equal([2L, 3L], answer.Missed.Select(e => e.Seq));
        Assert.Equal(40, answer.Missed[0].Task.Progress);
        Assert.Equal(SessionTaskStatus.Running, answer.Missed[0].Task.Status);
        Assert.Equal(SessionTaskStatus.Succeeded, answer.Missed[1].Task.Status);
    }

    [Fact]
    public void A_position_older_than_the_log_or_ahead_of_it_gets_a_reset()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var log = new SessionEventLog(() => session, clock, capacity: 2);
        session.Tasks.Add(Task("1"));
        for (var i = 0; i < 4; i++)
        {
            log.Append(SessionEventKind.TaskProgress, Task("1"));
        }

        log.Stored(session.SeqReserved, session.LastSeq);
        while (log.TryTakeSendable(out _))
        {
        }

        Assert.Equal(2, session.Events.Count);
        Assert.NotNull(log.Replay(lastSeq: 1, Lease).ResetReason);
        Assert.NotNull(log.Replay(lastSeq: 9, Lease).ResetReason);
        Assert.Null(log.Replay(lastSeq: 4, Lease).ResetReason);
    }

    [Fact]
    public void Dropping_a_tasks_record_drops_the_log_up_to_its_last_event()
    {
        var clock = PartsClock.New();
        var session = PartsClock.NewSession(clock);
        var log = new SessionEventLog(() => session, clock, capacity: 10);
        log.Append(SessionEventKind.TaskStarted, Task("1"));
        log.Append(SessionEventKind.TaskStarted, Task("2"));
        log.Append(SessionEventKind.TaskCompleted, Task("1"));
        log.Append(SessionEventKind.TaskCompleted, Task("2"));

        log.DropEventsOf(new HashSet<string> { "1" });

        Assert.Equal([4L], session.Events.Select(e => e.Seq));
    }
}
