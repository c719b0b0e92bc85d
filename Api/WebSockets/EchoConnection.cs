using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Grains.Abstractions;

namespace Api.WebSockets;

/// <summary>
/// One accepted <c>/ws</c> socket relayed to its session grain: a single receive loop, each text message
/// echoed by the grain and answered before the next is read, so replies keep the order of requests.
/// </summary>
internal sealed class EchoConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly ISessionGrain _session;
    private readonly WebSocketLimits _limits;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _receiveCancellation;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _serverClose = Task.CompletedTask;
    private string? _closeReason;

    public EchoConnection(WebSocket socket, ISessionGrain session, WebSocketLimits limits, ILogger logger, CancellationToken aborted)
    {
        _socket = socket;
        _session = session;
        _limits = limits;
        _logger = logger;
        _receiveCancellation = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    public long Messages { get; private set; }

    /// <summary>Relays until the socket closes; returns how it closed.</summary>
    public async Task<string> RunAsync(string sessionId, string connectionId, CancellationToken serverStopping)
    {
        var registration = serverStopping.Register(
            static state => ((EchoConnection)state!).StartServerClose(WebSocketCloseStatus.EndpointUnavailable, "Server is shutting down", "server stopping"),
            this);
        try
        {
            await ReceiveLoopAsync(sessionId, connectionId);
            return _closeReason ?? "closed by client";
        }
        catch (OperationCanceledException) when (_receiveCancellation.IsCancellationRequested)
        {
            return _closeReason is null ? "aborted" : $"{_closeReason}, no close reply";
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
        {
            return "dropped without a close frame";
        }
        catch (WebSocketException exception)
        {
            return $"protocol error: {exception.WebSocketErrorCode}";
        }
        finally
        {
            await registration.DisposeAsync();
            await _serverClose;
        }
    }

    public void Dispose()
    {
        _receiveCancellation.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync(string sessionId, string connectionId)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_limits.ReceiveBufferBytes);
        using var assembler = new MessageAssembler(_limits.MaxMessageBytes);
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await _socket.ReceiveAsync(buffer.AsMemory(), _receiveCancellation.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerClientCloseAsync();
                    return;
                }

                if (_socket.State != WebSocketState.Open)
                {
                    continue; // We have sent our close: what the client still sends is discarded.
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "Binary messages are not accepted; send UTF-8 text", "binary message");
                    continue;
                }

                ReadOnlyMemory<byte> message;
                if (received.EndOfMessage && assembler.IsEmpty && received.Count <= _limits.MaxMessageBytes)
                {
                    message = buffer.AsMemory(0, received.Count);
                }
                else if (assembler.TryAppend(buffer.AsSpan(0, received.Count)))
                {
                    if (!received.EndOfMessage)
                    {
                        continue;
                    }

                    message = assembler.Message;
                }
                else
                {
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_limits.MaxMessageBytes} bytes", "message too big");
                    continue;
                }

                // No UTF-8 check here: the framework validates text frames, sends 1007 and aborts on invalid bytes.
                var text = Encoding.UTF8.GetString(message.Span);
                assembler.Reset();
                if (!await TryEchoAsync(text, sessionId, connectionId))
                {
                    continue;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<bool> TryEchoAsync(string text, string sessionId, string connectionId)
    {
        string reply;
        try
        {
            reply = await _session.Echo(text);
        }
        catch (Exception exception) when (exception is SessionNotFoundException or OrleansException or TimeoutException)
        {
            Log.SessionCallFailed(_logger, sessionId, connectionId, exception);
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "The session is unavailable", "session failed");
            return false;
        }

        await SendTextAsync(reply);
        Messages++;
        return true;
    }

    private async Task SendTextAsync(string text)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        await _sendLock.WaitAsync(_receiveCancellation.Token);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                var length = Encoding.UTF8.GetBytes(text, bytes);
                await _socket.SendAsync(bytes.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, _receiveCancellation.Token);
            }
        }
        finally
        {
            _sendLock.Release();
            ArrayPool<byte>.Shared.Return(bytes);
        }
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

    private void StartServerClose(WebSocketCloseStatus status, string description, string reason) =>
        _serverClose = CloseAsync(status, description, reason);

    /// <summary>Sends our close frame, then gives the client <see cref="WebSocketLimits.CloseTimeout"/> to answer.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string description, string reason)
    {
        _closeReason ??= reason;
        using var timeout = new CancellationTokenSource(_limits.CloseTimeout);
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

        _receiveCancellation.CancelAfter(_limits.CloseTimeout);
    }
}
