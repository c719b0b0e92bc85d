using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Api.WebSockets;

/// <summary>
/// A socket's sends, one at a time (WebSocket allows one outstanding send), each with a deadline: a client that stops
/// reading fills the TCP window and a send waits for it without end; one that waits past
/// <see cref="WebSocketLimits.SendTimeout"/> drops the socket and aborts the connection.
/// </summary>
internal sealed class SocketSender(
    WebSocket socket, WebSocketLimits limits, Action onSlowReader, Action abortConnection, CancellationToken ending)
    : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private CancellationTokenSource _deadline = CancellationTokenSource.CreateLinkedTokenSource(ending);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8)
    {
        await _lock.WaitAsync(ending);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await SendWithDeadlineAsync(utf8);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends a close frame after any send in progress, unless the socket has sent one already.</summary>
    public async Task CloseOutputAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, description, cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _deadline.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// A cancellable token would put every frame on the socket's slow path (a lock wait, a registration, a state
    /// machine), so frames go without one; only a send that cannot complete at once (the client's TCP window is full)
    /// waits under the deadline.
    /// </summary>
    private ValueTask SendWithDeadlineAsync(ReadOnlyMemory<byte> utf8)
    {
        var send = socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        return send.IsCompletedSuccessfully ? send : AwaitWithDeadlineAsync(send);
    }

    /// <summary>
    /// When the deadline passes (or the connection ends) the connection is aborted, which is what releases a write
    /// stuck in Kestrel's output; the deadline's source is reset from send to send, so even a slow send arms no new timer.
    /// </summary>
    private async ValueTask AwaitWithDeadlineAsync(ValueTask send)
    {
        _deadline.CancelAfter(limits.SendTimeout);
        var abortOnDeadline = _deadline.Token.UnsafeRegister(static state => ((SocketSender)state!).Abort(), this);
        try
        {
            await send;
        }
        catch (Exception exception) when (_deadline.IsCancellationRequested && exception is not OperationCanceledException)
        {
            throw new OperationCanceledException("The send was cut off.", exception, _deadline.Token);
        }
        finally
        {
            await abortOnDeadline.DisposeAsync();
        }

        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(ending);
        }
    }

    private void Abort()
    {
        // Nothing is aborted yet, so the connection's own token tells a deadline from a connection that ended. The time
        // waited could not: the timer may fire a little before a high-resolution clock says the timeout has passed.
        if (!ending.IsCancellationRequested)
        {
            onSlowReader();
        }

        abortConnection();
    }
}
