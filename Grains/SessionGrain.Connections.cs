using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    public async Task<SessionConnection?> Connect(string connectionId, ISessionObserver observer, bool events, long? lastSeq)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(observer);
        if (!ExistsElseLeaveMemory())
        {
            return null;
        }

        if (_sockets.Register(connectionId, observer, events))
        {
            metrics.ConnectionsChanged(1);
            MarkActive();
            UpdateTimers();
        }

        // Renewals come every third of a lease: they keep the stored expiry ahead too, so state in use never expires.
        if (_retention.NeedsRefresh(Session))
        {
            await WriteAsync();
        }

        var answer = _events.Replay(events ? lastSeq : null, _sockets.Lease);
        return answer.ResetReason is null ? answer : answer with { Tasks = _tasks.NewestFirst() };
    }

    public async Task Disconnect(string connectionId)
    {
        if (!_sockets.Remove(connectionId))
        {
            return;
        }

        metrics.ConnectionsChanged(-1);
        MarkActive();
        UpdateTimers();
        if (!InUse && Session.Exists && Session.ResumeTokenHash is null)
        {
            // Stored now, with the expiry of an idle session, because it leaves memory next. The socket is gone
            // either way: a failed write stays pending and is tried again as the activation deactivates.
            await _store.LogFailureAsync(WriteAsync());
            LeaveMemoryIfUnused();
        }
    }
}
