using System.Diagnostics;
using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Api.Observability;

namespace Api.WebSockets;

/// <summary>
/// An accepted text WebSocket: one receive loop that assembles messages within the size limit and hands
/// each to <see cref="OnMessageAsync"/>, sends serialized by a lock, and a close handshake with a deadline
/// (1001 when the server stops).
/// </summary>
internal abstract class TextSocketConnection : IDisposable
{
    private static readonly TimeSpan ProtocolErrorLinger = TimeSpan.FromMilliseconds(500);

    private readonly WebSocket _socket;
    private readonly MessageRateLimiter _rate;
    private readonly int _piecesPerToken;
    private int _piecesUncounted;
    private readonly CancellationTokenSource _receiveCancellation;
    private CancellationTokenSource _sendDeadline;
    private bool _droppedSlowReader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _closeGate = new();
    private Task _serverClose = Task.CompletedTask;
    private string? _closeReason;
    private SessionCallRetry? _sessionCalls;

    protected TextSocketConnection(WebSocket socket, WebSocketLimits limits, FrontEndMetrics metrics, CancellationToken aborted)
    {
        _socket = socket;
        Limits = limits;
        Metrics = metrics;
        _rate = new MessageRateLimiter(limits.MessagesPerSecond, limits.MessageBurst, TimeProvider.System);

        // A message as large as the limit, read a buffer at a time, costs one token more than a small one; a flood of
        // tiny or empty fragments, which never grows a message, costs a token per that many pieces.
        _piecesPerToken = Math.Max(1, limits.MaxMessageBytes / limits.ReceiveBufferBytes);
        _receiveCancellation = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _sendDeadline = CancellationTokenSource.CreateLinkedTokenSource(_receiveCancellation.Token);
    }

    /// <summary>Messages handled so far.</summary>
    public long Messages { get; private set; }

    /// <summary>What ended the connection when it was a fault of the server's own, for the closing log line.</summary>
    public Exception? Failure { get; private set; }

    protected WebSocketLimits Limits { get; }

    /// <summary>The socket's calls to its session, one at a time, retried while the session moves.</summary>
    protected SessionCallRetry SessionCalls => _sessionCalls ??= new SessionCallRetry(Limits, _receiveCancellation.Token);

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
            return _closeReason ?? "closed by client";
        }
        catch (OperationCanceledException) when (_receiveCancellation.IsCancellationRequested)
        {
            return _closeReason is null ? "aborted" : _droppedSlowReader ? _closeReason : $"{_closeReason}, no close reply";
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
        {
            return "dropped without a close frame";
        }
        catch (WebSocketException exception)
        {
            // The framework has sent its close frame (1007 for invalid UTF-8) and aborted. Closing the TCP
            // connection at once would reset it before the client reads that frame, so hold it open briefly.
            await Task.Delay(ProtocolErrorLinger, CancellationToken.None);
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
            Task closing;
            lock (_closeGate)
            {
                closing = _serverClose;
            }

            await closing;
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
            _sendDeadline.Dispose();
            _receiveCancellation.Dispose();
            _sendLock.Dispose();
        }
    }

    /// <summary>Starts the server's close handshake from any thread; the connection ends when it completes.</summary>
    protected void StartClose(WebSocketCloseStatus status, string description, string reason)
    {
        lock (_closeGate)
        {
            if (_closeReason is not null)
            {
                return;
            }

            _closeReason = reason;
            _serverClose = CloseAsync(status, description);
            if (status is not (WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable))
            {
                Metrics.Rejected(reason.Replace(' ', '_'));
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected async ValueTask SendTextAsync(string text)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, bytes);
            await SendUtf8Async(bytes.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected async ValueTask SendUtf8Async(ReadOnlyMemory<byte> utf8)
    {
        await _sendLock.WaitAsync(_receiveCancellation.Token);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await SendWithDeadlineAsync(utf8);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// A client that stops reading fills the TCP window and a send waits for it without end; one that waits past
    /// <see cref="WebSocketLimits.SendTimeout"/> drops the socket. The deadline's source is reset from send to send,
    /// so the hot path allocates none.
    /// </summary>
    private async ValueTask SendWithDeadlineAsync(ReadOnlyMemory<byte> utf8)
    {
        _sendDeadline.CancelAfter(Limits.SendTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, _sendDeadline.Token);
        }
        catch (OperationCanceledException) when (Stopwatch.GetElapsedTime(started) >= Limits.SendTimeout)
        {
            // Told by the time waited, not by which token fired: aborting the send aborts the request too, which
            // can cancel the connection's own token first.
            DropSlowReader();
            throw;
        }

        if (!_sendDeadline.TryReset())
        {
            _sendDeadline.Dispose();
            _sendDeadline = CancellationTokenSource.CreateLinkedTokenSource(_receiveCancellation.Token);
        }
    }

    /// <summary>The cancelled send has aborted the socket; the receive loop ends with it, and the close is logged once.</summary>
    private void DropSlowReader()
    {
        lock (_closeGate)
        {
            if (_closeReason is null)
            {
                _closeReason = string.Create(CultureInfo.InvariantCulture, $"send timeout: the client read nothing for {Limits.SendTimeout.TotalSeconds:0.#} s");
                _droppedSlowReader = true;
                Metrics.Rejected("send_timeout");
            }
        }

        _receiveCancellation.Cancel();
    }

    private async Task ReceiveLoopAsync()
    {
        byte[]? buffer = null;
        using var assembler = new MessageAssembler(Limits.MaxMessageBytes);
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
                        await AnswerClientCloseAsync();
                        return;
                    }

                    await HandleFrameAsync(received, data, assembler);
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

    /// <summary>Takes one received frame's data: assembles it, refuses what breaks a limit, hands on whole messages.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask HandleFrameAsync(ValueWebSocketReceiveResult received, ReadOnlyMemory<byte> data, MessageAssembler assembler)
    {
        if (_socket.State != WebSocketState.Open || Volatile.Read(ref _closeReason) is not null)
        {
            return; // We are closing: what the client still sends is discarded.
        }

        if (received.MessageType == WebSocketMessageType.Binary)
        {
            StartClose(WebSocketCloseStatus.InvalidMessageType, "Binary messages are not accepted; send UTF-8 text", "binary message");
            return;
        }

        ReadOnlyMemory<byte> message;
        if (received.EndOfMessage && assembler.IsEmpty && data.Length <= Limits.MaxMessageBytes)
        {
            message = data;
        }
        else if (assembler.TryAppend(data.Span))
        {
            if (!received.EndOfMessage)
            {
                if (++_piecesUncounted == _piecesPerToken)
                {
                    _piecesUncounted = 0;
                    TakeToken(assembler);
                }

                return;
            }

            message = assembler.Message;

            // The framework checks UTF-8 frame by frame, but not when the final frame is empty, so a character cut
            // off at the end of a fragment would pass; a message assembled from fragments is checked whole here.
            if (!Utf8.IsValid(message.Span))
            {
                assembler.Reset();
                StartClose(WebSocketCloseStatus.InvalidPayloadData, "Text messages must be valid UTF-8", "invalid utf-8");
                return;
            }
        }
        else
        {
            StartClose(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {Limits.MaxMessageBytes} bytes", "message too big");
            return;
        }

        if (!TakeToken(assembler))
        {
            return;
        }

        // A message in one frame needs no check of ours: the framework validates it, sends 1007 and aborts.
        try
        {
            await OnMessageAsync(message);
        }
        finally
        {
            assembler.Reset();
        }

        Messages++;
    }

    private bool TakeToken(MessageAssembler assembler)
    {
        if (_rate.TryTake())
        {
            return true;
        }

        assembler.Reset();
        StartClose(WebSocketCloseStatus.PolicyViolation, $"Too many messages: more than {Limits.MessagesPerSecond}/s", "rate limited");
        return false;
    }

    private async Task AnswerClientCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return; // Our own close was answered: the handshake is complete.
        }

        await _sendLock.WaitAsync(_receiveCancellation.Token);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _receiveCancellation.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends our close frame, then gives the client <see cref="WebSocketLimits.CloseTimeout"/> to answer.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        using var timeout = new CancellationTokenSource(Limits.CloseTimeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(status, description, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The peer is gone or too slow; the receive deadline below ends the connection either way.
        }

        try
        {
            _receiveCancellation.CancelAfter(Limits.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }
}
