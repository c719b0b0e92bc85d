using Grains.Abstractions;

namespace Grains;

/// <summary>
/// A session's events: their numbers, the stored log of the latest ones, which may go out, and replay to a socket
/// that comes back.
/// <para>
/// <b>When a number may go out.</b> An event reaches a socket only once the stored state holds a reservation
/// (<see cref="SessionState.SeqReserved"/>) at or above its number. A new activation numbers from above the stored
/// reservation, so a number that went out from an activation whose later writes were lost (its silo died) is never
/// given to another event, and a socket that saw it gets a reset instead of a wrong replay. Numbers are reserved a
/// block at a time, so most events ride on a write made anyway and a progress event rarely needs one of its own.
/// </para>
/// <para>
/// <b>What the log keeps.</b> An event keeps the task's id, not a copy of the task: a task's record changes only in
/// status, start, progress and outcome until it ends, and each event kind fixes those, so the task as the event saw
/// it is the current record with them put back. Events therefore live only as long as their task's record:
/// dropping a record drops the log up to that task's last event, so replay never skips an event in the middle (a
/// reader that asks from before the log's start gets a reset instead).
/// </para>
/// Only for use on the activation's own scheduler.
/// </summary>
internal sealed class SessionEventLog(Func<SessionState> session, TimeProvider clock, int capacity)
{
    /// <summary>Numbers reserved per storage write.</summary>
    public const long ReservationBlock = 1024;

    private readonly Queue<SessionEvent> _unsent = new();
    private long _numberFloor;
    private long _storedReservation;
    private long _storedLastSeq;

    /// <summary>The number of the latest event sent to sockets.</summary>
    public long LastSent { get; private set; }

    /// <summary>Whether an event waits for a write that reserves its number.</summary>
    public bool MustStoreBeforeSending => session().LastSeq > _storedReservation;

    /// <summary>Whether the log holds an event no write has stored yet (every change to the log appends one).</summary>
    public bool HasUnstored => session().LastSeq > _storedLastSeq;

    /// <summary>At activation: numbers up to the stored reservation may have gone out before; this starts above them.</summary>
    public void Resume()
    {
        _numberFloor = session().SeqReserved;
        _storedReservation = session().SeqReserved;
        _storedLastSeq = LastSent = session().LastSeq;
    }

    /// <summary>Numbers and logs an event; it may go out once <see cref="TryTakeSendable"/> says so.</summary>
    public void Append(SessionEventKind kind, TaskRecord task)
    {
        var state = session();
        var previous = state.LastSeq;
        var seq = Math.Max(previous, _numberFloor) + 1;
        state.LastSeq = seq;
        if (seq > state.SeqReserved)
        {
            state.SeqReserved = seq + ReservationBlock;
        }

        var at = clock.GetUtcNow();
        state.Events.Add(Entry(seq, previous, kind, at, task));
        var excess = state.Events.Count - capacity;
        if (excess > 0)
        {
            state.Events.RemoveRange(0, excess);
        }

        _unsent.Enqueue(new SessionEvent { Seq = seq, PreviousSeq = previous, Kind = kind, At = at, Task = task });
    }

    /// <summary>After a successful write of state that held <paramref name="reservation"/> and events up to <paramref name="lastSeq"/>.</summary>
    public void Stored(long reservation, long lastSeq)
    {
        _storedReservation = Math.Max(_storedReservation, reservation);
        _storedLastSeq = lastSeq;
    }

    /// <summary>The next event in order, if its number is reserved in storage.</summary>
    public bool TryTakeSendable(out SessionEvent next)
    {
        if (_unsent.TryPeek(out var peeked) && peeked.Seq <= _storedReservation)
        {
            next = _unsent.Dequeue();
            LastSent = next.Seq;
            return true;
        }

        next = null!;
        return false;
    }

    /// <summary>The session ended: nothing recorded is sent.</summary>
    public void DropUnsent() => _unsent.Clear();

    /// <summary>
    /// What a socket that last saw <paramref name="lastSeq"/> has missed, or a reset when the log cannot tell (the
    /// caller adds the tasks as they are now).
    /// </summary>
    public SessionConnection Replay(long? lastSeq, TimeSpan lease)
    {
        if (lastSeq is not { } seen || seen == LastSent)
        {
            return new SessionConnection { Seq = LastSent, Lease = lease };
        }

        var state = session();
        var log = state.Events;
        var from = log.FindIndex(e => e.PreviousSeq == seen);
        if (from < 0 && log.FindIndex(e => e.Seq == seen) is var at and >= 0)
        {
            from = at + 1;
        }

        if (from < 0 || seen > LastSent)
        {
            var reason = seen > LastSent
                ? $"Event {seen} is ahead of the session's latest event {LastSent}: later events were lost when the session moved to another silo, or the number is not from this session."
                : $"Event {seen} is older than the session's log, which starts after {(log.Count > 0 ? log[0].PreviousSeq : LastSent)}.";
            return new SessionConnection { Seq = LastSent, Lease = lease, ResetReason = reason };
        }

        var missed = log.Skip(from).TakeWhile(e => e.Seq <= LastSent).Select(e => Expand(e, state.Tasks.Find(task => task.Id == e.TaskId)!)).ToList();
        return new SessionConnection { Seq = LastSent, Lease = lease, Missed = missed };
    }

    /// <summary>Drops the log up to the last event of the tasks whose records were dropped.</summary>
    public void DropEventsOf(IReadOnlySet<string> droppedTaskIds)
    {
        var log = session().Events;
        log.RemoveRange(0, log.FindLastIndex(entry => droppedTaskIds.Contains(entry.TaskId)) + 1);
    }

    public static SessionEventKind KindOfOutcome(SessionTaskStatus outcome) => outcome switch
    {
        SessionTaskStatus.Succeeded => SessionEventKind.TaskCompleted,
        SessionTaskStatus.Cancelled => SessionEventKind.TaskCancelled,
        _ => SessionEventKind.TaskFailed,
    };

    public static LoggedEvent Entry(long seq, long previousSeq, SessionEventKind kind, DateTimeOffset at, TaskRecord task) =>
        new() { Seq = seq, PreviousSeq = previousSeq, Kind = kind, At = at, TaskId = task.Id, Progress = task.Progress };

    public static SessionEvent Expand(LoggedEvent entry, TaskRecord current) => new()
    {
        Seq = entry.Seq,
        PreviousSeq = entry.PreviousSeq,
        Kind = entry.Kind,
        At = entry.At,
        Task = entry.Kind switch
        {
            SessionEventKind.TaskQueued => Unfinished(current, SessionTaskStatus.Queued, 0) with { StartedAt = null },
            SessionEventKind.TaskStarted => Unfinished(current, SessionTaskStatus.Running, 0),
            SessionEventKind.TaskProgress => Unfinished(current, SessionTaskStatus.Running, entry.Progress),
            _ => current,
        },
    };

    private static TaskRecord Unfinished(TaskRecord task, SessionTaskStatus status, int progress) =>
        task with { Status = status, Progress = progress, FinishedAt = null, Result = null, Error = null };
}
