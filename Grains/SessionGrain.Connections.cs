using System.Globalization;
using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    private readonly Dictionary<string, ConnectedSocket> _connections = new(StringComparer.Ordinal);
    private DateTimeOffset _noSocketSince;
    private IGrainTimer? _disconnectTimer;
    private DateTimeOffset? _disconnectDue;

    public async Task<SessionConnection?> Connect(string connectionId, ISessionObserver observer, bool events, long? lastSeq)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(observer);
        if (!ExistsOrDeactivate())
        {
            return null;
        }

        var isNew = !_connections.ContainsKey(connectionId);
        _connections[connectionId] = new ConnectedSocket(observer, events, clock.GetUtcNow() + options.Value.ConnectionLease);
        if (isNew)
        {
            metrics.ConnectionsChanged(1);
            Touch();
            _dirty = true;
            UpdateTimers();
        }

        // Renewals come every third of a lease: they keep the stored expiry ahead too, so state in use never expires.
        if (SessionRetention.NeedsRefresh(Session, options.Value, clock.GetUtcNow()))
        {
            await WriteAsync();
        }

        return events ? Answer(lastSeq) : Answer(null);
    }

    public async Task Disconnect(string connectionId)
    {
        if (!_connections.Remove(connectionId))
        {
            return;
        }

        metrics.ConnectionsChanged(-1);
        Touch();
        _dirty = true;
        SocketsChanged();
        if (!InUse && Session.Exists && Session.ResumeTokenHash is null)
        {
            // Stored now, with the expiry of an idle session, because it leaves memory next. The socket is gone
            // either way: a failed write stays pending and is tried again as the activation deactivates.
            try
            {
                await WriteAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.StateWriteFailed(logger, SessionId, exception);
            }

            LeaveMemoryIfUnused();
        }
    }

    /// <summary>Forgets sockets whose front end stopped renewing them: it died or lost the cluster.</summary>
    private void ExpireConnections()
    {
        var now = clock.GetUtcNow();
        var expired = _connections.Where(pair => pair.Value.LeaseEnds < now).Select(pair => pair.Key).ToList();
        foreach (var connectionId in expired)
        {
            _connections.Remove(connectionId);
        }

        metrics.ConnectionsChanged(-expired.Count);
        if (expired.Count > 0)
        {
            Log.ConnectionsExpired(logger, SessionId, expired.Count);
            SocketsChanged();
        }
    }

    private void SocketsChanged()
    {
        if (_connections.Count == 0)
        {
            _noSocketSince = clock.GetUtcNow();
        }

        UpdateTimers();
    }

    /// <summary>Tells every socket the session is gone and forgets them.</summary>
    private void EndConnections(string reason)
    {
        foreach (var connection in _connections.Values)
        {
            _ = connection.Observer.OnSessionEnded(reason);
        }

        metrics.ConnectionsChanged(-_connections.Count);
        _connections.Clear();
        _outbox.Clear();
    }

    /// <summary>Arms a timer for the earliest <c>cancelAfterSeconds</c> deadline while the session has no socket.</summary>
    private void UpdateDisconnectTimer()
    {
        var due = _connections.Count > 0 ? null : EarliestDisconnectDeadline();
        if (due == _disconnectDue)
        {
            return;
        }

        _disconnectDue = due;
        if (due is not { } at)
        {
            _disconnectTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // One timer, re-armed with Change: disposing a grain timer from its own callback is not safe.
        _disconnectTimer ??= this.RegisterGrainTimer(
            CancelAbandonedTasks,
            new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
        var delay = at - clock.GetUtcNow();
        _disconnectTimer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    // Tasks already being cancelled are skipped: their cancellation completes on a later turn, and re-arming
    // the timer for them would make it fire again at once, starving that turn.
    private DateTimeOffset? EarliestDisconnectDeadline()
    {
        // A loop, not LINQ: this runs at every task start and finish, and most sessions have no such task.
        DateTimeOffset? earliest = null;
        foreach (var (taskId, running) in _running)
        {
            if (!running.Cancellation.IsCancellationRequested && FindTask(taskId) is { CancelAfterDisconnect: not null } task
                && DisconnectDeadline(task) is var deadline && (earliest is null || deadline < earliest))
            {
                earliest = deadline;
            }
        }

        return earliest;
    }

    // A task started while no socket was open gets its full allowance from its start.
    private DateTimeOffset DisconnectDeadline(TaskRecord task) =>
        (task.CreatedAt > _noSocketSince ? task.CreatedAt : _noSocketSince) + task.CancelAfterDisconnect!.Value;

    private Task CancelAbandonedTasks(CancellationToken cancellationToken)
    {
        _disconnectDue = null;
        if (_connections.Count == 0)
        {
            var now = clock.GetUtcNow();
            foreach (var (taskId, running) in _running)
            {
                if (FindTask(taskId) is { CancelAfterDisconnect: { } allowance } task && DisconnectDeadline(task) <= now)
                {
                    var seconds = allowance.TotalSeconds.ToString(CultureInfo.InvariantCulture);
                    running.Cancel($"Cancelled by its onDisconnect policy: the session had no open socket for {seconds} s.");
                }
            }
        }

        UpdateDisconnectTimer();
        return Task.CompletedTask;
    }
}
