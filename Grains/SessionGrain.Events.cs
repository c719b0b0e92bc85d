using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
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

    /// <summary>For background paths, where a failed write is retried by the next flush rather than thrown.</summary>
    private async Task SendSafelyAsync()
    {
        try
        {
            await SendAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
    }

    /// <summary>Writes the state now, then sends; a failed write is logged and retried by the next flush.</summary>
    private async Task WriteAndSendSafelyAsync()
    {
        try
        {
            await WriteAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }

        Send();
    }
}
