using System.Globalization;
using System.Net.WebSockets;
using Api.Observability;

namespace Api.WebSockets;

/// <summary>
/// How a socket ends, decided once: the server's close handshake with a deadline, or dropping a client that read
/// nothing for <see cref="WebSocketLimits.SendTimeout"/>. The first reason given is the one logged.
/// </summary>
internal sealed class SocketClosing(
    WebSocket socket, SocketSender sender, WebSocketLimits limits, FrontEndMetrics metrics, TimeProvider clock, CancellationTokenSource receiving)
{
    private readonly Lock _gate = new();
    private Task _serverClose = Task.CompletedTask;
    private string? _reason;

    /// <summary>Why the server ended the socket; null while it has not.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>True when the socket was dropped, not closed with a handshake.</summary>
    public bool DroppedSlowReader { get; private set; }

    /// <summary>Starts the server's close handshake from any thread; the connection ends when it completes.</summary>
    public void Start(WebSocketCloseStatus status, string description, string reason)
    {
        lock (_gate)
        {
            if (_reason is not null)
            {
                return;
            }

            _reason = reason;
            _serverClose = CloseAsync(status, description);
            if (status is not (WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable))
            {
                metrics.Rejected(reason.Replace(' ', '_'));
            }
        }
    }

    /// <summary>The cancelled send has aborted the socket; the receive loop ends with it, and the close is logged once.</summary>
    public void DropSlowReader()
    {
        lock (_gate)
        {
            if (_reason is null)
            {
                _reason = string.Create(CultureInfo.InvariantCulture, $"send timeout: the client read nothing for {limits.SendTimeout.TotalSeconds:0.#} s");
                DroppedSlowReader = true;
                metrics.Rejected("send_timeout");
            }
        }

        receiving.Cancel();
    }

    /// <summary>Completes when the server's own close handshake, if it started one, has ended.</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            return _serverClose;
        }
    }

    public async Task AnswerClientCloseAsync()
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return; // Our own close was answered: the handshake is complete.
        }

        await sender.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, receiving.Token);
    }

    /// <summary>Sends our close frame, then gives the client <see cref="WebSocketLimits.CloseTimeout"/> to answer.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        using var timeout = new CancellationTokenSource(limits.CloseTimeout, clock);
        try
        {
            await sender.CloseOutputAsync(status, description, timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The peer is gone or too slow; the receive deadline below ends the connection either way.
        }

        try
        {
            receiving.CancelAfter(limits.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }
}
