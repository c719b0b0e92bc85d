using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Api.WebSockets;

/// <summary>
/// A socket's sends, one at a time (WebSocket allows one outstanding send), each with a deadline: a client that stops
/// reading fills the TCP window and a send waits for it without end; one that waits past
/// <see cref="WebSocketLimits.SendTimeout"/> drops the socket.
/// </summary>
internal sealed class SocketSender(
    WebSocket socket, WebSocketLimits limits, TimeProvider clock, Action onSlowReader, CancellationToken ending) : IDisposable
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

    /// <summary>The deadline's source is reset from send to send, so the hot path allocates none.</summary>
    private async ValueTask SendWithDeadlineAsync(ReadOnlyMemory<byte> utf8)
    {
        _deadline.CancelAfter(limits.SendTimeout);
        var started = clock.GetTimestamp();
        try
        {
            await socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, _deadline.Token);
        }
        catch (OperationCanceledException) when (clock.GetElapsedTime(started) >= limits.SendTimeout)
        {
            // Told by the time waited, not by which token fired: aborting the send aborts the request too, which
            // can cancel the connection's own token first.
            onSlowReader();
            throw;
        }

        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(ending);
        }
    }
}
