using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    /// <summary>Writes the state, with the expiry it has now; a failed write leaves the changes pending.</summary>
    private async Task WriteAsync()
    {
        _dirty = false;
        if (Session.Exists)
        {
            Session.ExpiresAt = _retention.ExpiresAt(Session, InUse);
        }

        var reservation = Session.SeqReserved;
        try
        {
            await _store.WriteAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }

        _events.Stored(reservation);
    }

    private void LogEvent(SessionEventKind kind, TaskRecord task)
    {
        _events.Append(kind, task);
        _dirty = true;
    }

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

    private Task SendSafelyAsync() => LogFailureAsync(SendAsync());

    /// <summary>For background paths, where a failed write is logged and tried again by the next flush rather than thrown.</summary>
    private async Task LogFailureAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }
}
