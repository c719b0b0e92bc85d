using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    public async Task<SessionConnection?> Connect(string connectionId, ISessionObserver observer, bool events, long? lastSeq)
    {
        ConnectionTable.ThrowIfInvalid(connectionId, observer);
        if (!ExistsElseLeaveMemory())
        {
            return null;
        }

        if (_sockets.Register(connectionId, observer, events))
        {
            metrics.ConnectionsChanged(1);
            _store.MarkActive();
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
        _store.MarkActive();
        UpdateTimers();
        if (ActivationHold.LeavesAtOnce(Session, InUse))
        {
            // Stored now, with the expiry of an idle session, because it leaves memory next. The socket is gone
            // either way: a failed write stays pending and is tried again as the activation deactivates.
            await _store.LogFailureAsync(WriteAsync());
            DeactivateOnIdle();
        }
    }

    private Task WriteAsync() => _store.WriteAsync(InUse);

    /// <summary>
    /// Sends logged events to the session's sockets in order, as far as their numbers are reserved in storage (see
    /// <see cref="SessionEventLog"/>). Observer calls are one-way: a slow or dead front end never holds the session up.
    /// </summary>
    private void Send()
    {
        while (_events.TryTakeSendable(out var next))
        {
            foreach (var socket in _sockets.Sockets)
            {
                if (socket.WantsEvents)
                {
                    _ = socket.Observer.OnEvent(next);
                }
            }
        }
    }

    /// <summary>Sends, first writing the state when an event's number is not yet reserved in storage.</summary>
    private async Task SendAsync()
    {
        if (_events.MustStoreBeforeSending)
        {
            await WriteAsync();
        }

        Send();
    }
}
