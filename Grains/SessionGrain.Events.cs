using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    /// <summary>Numbers reserved per storage write, so progress events rarely need a write of their own.</summary>
    private const long SeqReservationBlock = 1024;

    private readonly Queue<SessionEvent> _outbox = new();
    private readonly Dictionary<string, int> _reportedProgress = new(StringComparer.Ordinal);
    private long _seqFloor;
    private long _durableSeqReserved;
    private long _lastPublishedSeq;
    private IGrainTimer? _progressTimer;

    private void StartEventNumbering()
    {
        // Numbers up to the stored reservation may have gone out before this activation; start above them.
        _seqFloor = Session.SeqReserved;
        _durableSeqReserved = Session.SeqReserved;
        _lastPublishedSeq = Session.LastSeq;
    }

    /// <summary>Appends an event to the log; it goes out with the next <see cref="Publish"/>.</summary>
    private void Record(SessionEventKind kind, TaskRecord task)
    {
        var previous = Session.LastSeq;
        var seq = Math.Max(previous, _seqFloor) + 1;
        Session.LastSeq = seq;
        if (seq > Session.SeqReserved)
        {
            Session.SeqReserved = seq + SeqReservationBlock;
        }

        var at = clock.GetUtcNow();
        Session.Events.Add(SessionEventLog.Entry(seq, previous, kind, at, task));
        var excess = Session.Events.Count - options.Value.EventLog;
        if (excess > 0)
        {
            Session.Events.RemoveRange(0, excess);
        }

        _outbox.Enqueue(new SessionEvent { Seq = seq, PreviousSeq = previous, Kind = kind, At = at, Task = task });
        _dirty = true;
    }

    /// <summary>
    /// Sends recorded events to the session's sockets in order, as far as their numbers are reserved in storage.
    /// Observer calls are one-way: a slow or dead front end never holds the session up.
    /// </summary>
    private void Publish()
    {
        while (_outbox.TryPeek(out var next) && next.Seq <= _durableSeqReserved)
        {
            _outbox.Dequeue();
            _lastPublishedSeq = next.Seq;
            foreach (var connection in _connections.Values)
            {
                if (connection.WantsEvents)
                {
                    _ = connection.Observer.OnEvent(next);
                }
            }
        }
    }

    /// <summary>Publishes, first writing the state when an event's number is not yet reserved in storage.</summary>
    private async Task PublishAsync()
    {
        if (Session.LastSeq > _durableSeqReserved)
        {
            await WriteAsync();
        }

        Publish();
    }

    /// <summary>What a socket that last saw <paramref name="lastSeq"/> has missed, or a reset when the log cannot tell.</summary>
    private SessionConnection Answer(long? lastSeq)
    {
        var lease = options.Value.ConnectionLease;
        if (lastSeq is not { } seen || seen == _lastPublishedSeq)
        {
            return new SessionConnection { Seq = _lastPublishedSeq, Lease = lease };
        }

        var log = Session.Events;
        var from = log.FindIndex(e => e.PreviousSeq == seen);
        if (from < 0 && log.FindIndex(e => e.Seq == seen) is var at and >= 0)
        {
            from = at + 1;
        }

        if (from < 0 || seen > _lastPublishedSeq)
        {
            var reason = seen > _lastPublishedSeq
                ? $"Event {seen} is ahead of the session's latest event {_lastPublishedSeq}: later events were lost when the session moved to another silo, or the number is not from this session."
                : $"Event {seen} is older than the session's log, which starts after {(log.Count > 0 ? log[0].PreviousSeq : _lastPublishedSeq)}.";
            return new SessionConnection
            {
                Seq = _lastPublishedSeq,
                Lease = lease,
                ResetReason = reason,
                Tasks = [.. Enumerable.Reverse(Session.Tasks).Select(WithLiveProgress)],
            };
        }

        var missed = log.Skip(from).TakeWhile(e => e.Seq <= _lastPublishedSeq).Select(e => SessionEventLog.Expand(e, FindTask(e.TaskId)!)).ToList();
        return new SessionConnection { Seq = _lastPublishedSeq, Lease = lease, Missed = missed };
    }

    private void UpdateProgressTimer()
    {
        var interval = taskOptions.Value.ProgressInterval;
        SetPeriodicTimer(ref _progressTimer, WorkOutlasts(interval), ReportProgressAsync, interval, keepAlive: false);
        if (_running.Count == 0)
        {
            _reportedProgress.Clear();
        }
    }

    private async Task ReportProgressAsync(CancellationToken cancellationToken)
    {
        var recorded = false;
        foreach (var (taskId, running) in _running)
        {
            if (FindTask(taskId) is not { Status: SessionTaskStatus.Running } task)
            {
                continue;
            }

            var live = WithLiveProgress(task, running);
            if (!_reportedProgress.TryGetValue(taskId, out var reported) || reported != live.Progress)
            {
                _reportedProgress[taskId] = live.Progress;
                Record(SessionEventKind.TaskProgress, live);
                recorded = true;
            }
        }

        if (recorded)
        {
            await PublishSafelyAsync();
        }
    }

    /// <summary>Writes the state now, then publishes; a failed write is logged and retried by the next flush.</summary>
    private async Task WriteAndPublishSafelyAsync()
    {
        try
        {
            await WriteAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }

        Publish();
    }

    /// <summary>For background paths, where a failed write is retried by the next flush rather than thrown.</summary>
    private async Task PublishSafelyAsync()
    {
        try
        {
            await PublishAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }
}
