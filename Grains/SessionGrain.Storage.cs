namespace Grains;

internal sealed partial class SessionGrain
{
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
