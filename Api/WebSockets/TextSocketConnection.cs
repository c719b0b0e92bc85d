using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Api.Observability;

namespace Api.WebSockets;

/// <summary>
/// An accepted text WebSocket: one receive loop that hands each whole message <see cref="MessageIntake"/> lets
/// through to <see cref="OnMessageAsync"/>, one at a time. Sending is <see cref="SocketSender"/>'s, and how the
/// socket ends (a close handshake with a deadline, 1001 when the server stops) is <see cref="SocketClosing"/>'s.
/// </summary>
internal abstract class TextSocketConnection : IDisposable
{
    private static readonly TimeSpan ProtocolErrorLinger = TimeSpan.FromMilliseconds(500);

    private readonly WebSocket _socket;
    private readonly CancellationTokenSource _receiveCancellation;
    private readonly SocketSender _sender;
    private readonly SocketClosing _closing;
    private readonly TimeProvider _clock;
    private SessionCallRetry? _sessionCalls;

    /// <param name="request">The upgraded request: its abort ends the connection, and a send stuck past its deadline aborts it.</param>
    protected TextSocketConnection(WebSocket socket, WebSocketLimits limits, FrontEndMetrics metrics, TimeProvider clock, HttpContext request)
    {
        _socket = socket;
        Limits = limits;
        Metrics = metrics;
        _clock = clock;
        _receiveCancellation = CancellationTokenSource.CreateLinkedTokenSource(request.RequestAborted);
        _sender = new SocketSender(socket, limits, DropSlowReader, request.Abort, _receiveCancellation.Token);
        _closing = new SocketClosing(socket, _sender, limits, metrics, clock, _receiveCancellation);
    }

    /// <summary>Messages handled so far.</summary>
    public long Messages { get; private set; }

    /// <summary>What ended the connection when it was a fault of the server's own, for the closing log line.</summary>
    public Exception? Failure { get; private set; }

    protected WebSocketLimits Limits { get; }

    /// <summary>The socket's calls to its session, one at a time, retried while the session moves.</summary>
    protected SessionCallRetry SessionCalls => _sessionCalls ??= new SessionCallRetry(Limits, _clock, _receiveCancellation.Token);

    protected FrontEndMetrics Metrics { get; }

    /// <summary>Cancelled when the connection ends, including after a close that got no reply in time.</summary>
    protected CancellationToken Ending => _receiveCancellation.Token;

    protected bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Relays until the socket closes; returns how it closed.</summary>
    public async Task<string> RunAsync(CancellationToken serverStopping)
    {
        var registration = serverStopping.Register(
            static state => ((TextSocketConnection)state!).StartClose(WebSocketCloseStatus.EndpointUnavailable, "Server is shutting down", "server stopping"),
            this);
        try
        {
            await ReceiveLoopAsync();
            return _closing.Reason ?? "closed by client";
        }
        catch (OperationCanceledException) when (_receiveCancellation.IsCancellationRequested)
        {
            return _closing.Reason is not { } reason ? "aborted" : _closing.DroppedSlowReader ? reason : $"{reason}, no close reply";
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
        {
            return "dropped without a close frame";
        }
        catch (WebSocketException exception)
        {
            // The framework has sent its close frame (1007 for invalid UTF-8) and aborted. Closing the TCP
            // connection at once would reset it before the client reads that frame, so hold it open briefly.
            await Task.Delay(ProtocolErrorLinger, _clock, CancellationToken.None);
            return $"protocol error: {exception.WebSocketErrorCode}";
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A fault of ours still ends the socket with a close frame rather than a cut TCP connection.
            Failure = exception;
            StartClose(WebSocketCloseStatus.InternalServerError, "Internal error", "internal error");
            return "internal error";
        }
        finally
        {
            await registration.DisposeAsync();
            await _closing.WaitAsync();
            await OnEndedAsync();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Handles one complete text message; the memory is only valid until this returns.</summary>
    protected abstract ValueTask OnMessageAsync(ReadOnlyMemory<byte> message);

    /// <summary>Runs once the receive loop has ended, before the connection is disposed.</summary>
    protected virtual Task OnEndedAsync() => Task.CompletedTask;

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sessionCalls?.Dispose();
            _sender.Dispose();
            _receiveCancellation.Dispose();
        }
    }

    /// <summary>Starts the server's close handshake from any thread; the connection ends when it completes.</summary>
    protected void StartClose(WebSocketCloseStatus status, string description, string reason) =>
        _closing.Start(status, description, reason);

    protected ValueTask SendUtf8Async(ReadOnlyMemory<byte> utf8) => _sender.SendAsync(utf8);

    private void DropSlowReader() => _closing.DropSlowReader();

    private async Task ReceiveLoopAsync()
    {
        byte[]? buffer = null;
        using var intake = new MessageIntake(Limits, _clock, _closing);
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                ValueWebSocketReceiveResult received;
                if (buffer is null)
                {
                    // Between messages a socket holds no buffer: a zero-byte read waits for the next frame (as
                    // SignalR does), so thousands of idle sockets do not pin a receive buffer each.
                    received = await _socket.ReceiveAsync(Memory<byte>.Empty, _receiveCancellation.Token);
                    if (received.MessageType != WebSocketMessageType.Close && !received.EndOfMessage)
                    {
                        buffer = ArrayPool<byte>.Shared.Rent(Limits.ReceiveBufferBytes);
                        received = await _socket.ReceiveAsync(buffer.AsMemory(), _receiveCancellation.Token);
                    }
                }
                else
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(), _receiveCancellation.Token);
                }

                var data = buffer is null ? Memory<byte>.Empty : buffer.AsMemory(0, received.Count);
                try
                {
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await _closing.AnswerClientCloseAsync();
                        return;
                    }

                    await HandleFrameAsync(received, data, intake);
                }
                finally
                {
                    if (received.EndOfMessage && buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Takes one received frame's data and hands on each whole message the intake lets through.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask HandleFrameAsync(ValueWebSocketReceiveResult received, ReadOnlyMemory<byte> data, MessageIntake intake)
    {
        if (_socket.State != WebSocketState.Open || _closing.Reason is not null)
        {
            return; // We are closing: what the client still sends is discarded.
        }

        if (!intake.TryTake(received, data, out var message))
        {
            return;
        }

        try
        {
            await OnMessageAsync(message);
        }
        finally
        {
            intake.Reset();
        }

        Messages++;
    }
}
