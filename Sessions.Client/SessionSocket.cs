using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Sessions.Client;

/// <summary>
/// The session socket (<c>/sessions/{id}/ws</c>, docs/protocol.md) that resumes by itself: after a drop it reconnects with
/// backoff and <c>?lastSeq</c>, so <see cref="ReadEventsAsync"/> sees every event once, in order, across connections.
/// </summary>
public sealed class SessionSocket : IAsyncDisposable
{
    private readonly Uri _baseAddress;
    private readonly SessionCredentials _session;
    private readonly SessionSocketOptions _options;
    private readonly Channel<SessionSocketEvent> _events = Channel.CreateUnbounded<SessionSocketEvent>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource _welcomed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _socket;
    private Task _loop = Task.CompletedTask;
    private long _lastSeq = -1;
    private int _nextRef;
    private bool _connectionWelcomed;

    private SessionSocket(Uri baseAddress, SessionCredentials session, long? lastSeq, SessionSocketOptions options)
    {
        _baseAddress = baseAddress;
        _session = session;
        _lastSeq = lastSeq ?? -1;
        _options = options;
    }

    /// <summary>The seq of the last event received: where the next connection resumes. Null before the first welcome.</summary>
    public long? LastSeq => Interlocked.Read(ref _lastSeq) is var seq and >= 0 ? seq : null;

    /// <summary>Connections opened after the first, each resumed from <see cref="LastSeq"/>.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Connects (the token in the upgrade's Authorization header) and returns once the service welcomed it.</summary>
    public static async Task<SessionSocket> ConnectAsync(
        Uri baseAddress, SessionCredentials session, long? lastSeq = null, SessionSocketOptions? options = null, CancellationToken cancellationToken = default)
    {
        var socket = new SessionSocket(baseAddress, session, lastSeq, options ?? new SessionSocketOptions());
        socket._loop = Task.Run(socket.RunAsync, CancellationToken.None);
        try
        {
            await Task.WhenAny(socket._welcomed.Task, socket._loop).WaitAsync(socket._options.ConnectTimeout, cancellationToken);
            await (socket._welcomed.Task.IsCompleted ? socket._welcomed.Task : socket._loop);
            return socket;
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    /// <summary>Task events, and <c>welcome</c>/<c>reset</c> at each connection; ends when the socket closes for good.</summary>
    public IAsyncEnumerable<SessionSocketEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    public async Task<string> EchoAsync(string data, CancellationToken cancellationToken = default) =>
        (await RequestAsync(reference => ClientMessage.Echo(data, reference), cancellationToken)).GetProperty("data").GetString()!;

    public async Task<TaskStart> StartTaskAsync(TaskStartRequest task, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(reference => ClientMessage.TaskStart(task, reference, idempotencyKey), cancellationToken);
        return new TaskStart(answer.GetProperty("task").Deserialize<TaskInfo>(ClientJson.Options)!, answer.GetProperty("replayed").GetBoolean());
    }

    /// <summary>The outcome: <c>cancelled</c>, <c>already_finished</c> or <c>not_found</c>.</summary>
    public async Task<string> CancelTaskAsync(string taskId, CancellationToken cancellationToken = default) =>
        (await RequestAsync(reference => ClientMessage.TaskCancel(taskId, reference), cancellationToken)).GetProperty("outcome").GetString()!;

    /// <summary>
    /// Sends a request with a fresh <c>ref</c> and returns the answer that carries it; an <c>error</c> answer throws
    /// <see cref="SessionProtocolException"/>. A request in flight when the connection drops fails with <see cref="WebSocketException"/>:
    /// whether the service acted on it is unknown (an idempotencyKey makes a retry safe). A request the service does not
    /// take, or answer, within <see cref="SessionSocketOptions.RequestTimeout"/> throws <see cref="TimeoutException"/>;
    /// one it does not take also drops the connection, which then reconnects.
    /// </summary>
    public Task<JsonElement> RequestAsync(Dictionary<string, object?> message, CancellationToken cancellationToken = default) =>
        RequestAsync(
            reference => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>(message) { ["ref"] = reference }, ClientJson.Options),
            cancellationToken);

    /// <summary>Aborts the current connection as a lost network would; the socket reconnects and resumes.</summary>
    public void Drop() => _socket?.Abort();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket?.Abort();
        await _loop;
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task RunAsync()
    {
        var failures = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (await ConnectOnceAsync() is { } final)
                {
                    _welcomed.TrySetException(final);
                    _events.Writer.TryComplete(final);
                    return;
                }

                failures = _connectionWelcomed ? 0 : failures + 1;
                await Task.Delay(SessionSocketBackoff.Delay(_options, failures), _options.TimeProvider, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        _welcomed.TrySetCanceled();
        _events.Writer.TryComplete();
    }

    /// <summary>One connection, from upgrade to close: null when reconnecting may help, else why it cannot.</summary>
    private async Task<Exception?> ConnectOnceAsync()
    {
        _connectionWelcomed = false;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        SessionSocketHandshake.Authorize(socket.Options, _session);

        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                connectTimeout.CancelAfter(_options.ConnectTimeout);
                await socket.ConnectAsync(SessionSocketHandshake.Address(_baseAddress, _session.Id, LastSeq), connectTimeout.Token);
            }

            _socket = socket;
            await ReceiveUntilClosedAsync(socket);
            await AnswerCloseAsync(socket);
            return IsFinal(socket.CloseStatus, socket.CloseStatusDescription)
                ? new SessionSocketClosedException(socket.CloseStatus, socket.CloseStatusDescription)
                : null;
        }
        catch (WebSocketException) when (socket.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new SessionSocketClosedException($"The service refused the upgrade with {(int)socket.HttpStatusCode}.");
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            // A drop reconnects; while disposing, the abort surfaces here as any of these and the loop ends.
            return null;
        }
        finally
        {
            _socket = null;
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection dropped before the answer came."));
            }
        }
    }

    private async Task ReceiveUntilClosedAsync(ClientWebSocket socket)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                await HandleAsync(document.RootElement.Clone());
                message.SetLength(0);
            }
        }
    }

    /// <summary>
    /// Completes the close handshake the service started, so it sees a clean close rather than waiting for a frame
    /// that never comes. Bounded; a failure changes nothing, as the close status already says what happened.
    /// </summary>
    private async Task AnswerCloseAsync(ClientWebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.RequestTimeout);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(JsonElement message)
    {
        var type = message.GetProperty("type").GetString() ?? "";
        if (message.TryGetProperty("ref", out var reference) && reference.ValueKind == JsonValueKind.String
            && _pending.TryGetValue(reference.GetString()!, out var answer))
        {
            answer.TrySetResult(message);
            return;
        }

        var seq = message.TryGetProperty("seq", out var seqProperty) ? seqProperty.GetInt64() : -1;
        if (type is "welcome" or "reset")
        {
            // A welcome's seq is the session's latest, not ours: the replayed events still have to arrive.
            if (type == "reset" || LastSeq is null)
            {
                Interlocked.Exchange(ref _lastSeq, seq);
            }

            Reconnects += _welcomed.Task.IsCompleted ? 1 : 0;
            _connectionWelcomed = true;
            await _events.Writer.WriteAsync(SessionSocketEvent.From(message, type));
            _welcomed.TrySetResult();
        }
        else if (message.TryGetProperty("task", out _) && seq >= 0 && seq > Interlocked.Read(ref _lastSeq))
        {
            Interlocked.Exchange(ref _lastSeq, seq);
            await _events.Writer.WriteAsync(SessionSocketEvent.From(message, type));
        }
    }

    private async Task<JsonElement> RequestAsync(Func<string, byte[]> payload, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new WebSocketException(WebSocketError.InvalidState, "Not connected; reconnecting.");
        var reference = $"c{Interlocked.Increment(ref _nextRef)}";
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[reference] = answer;
        try
        {
            await SendAsync(socket, payload(reference), cancellationToken);
            var reply = await answer.Task.WaitAsync(_options.RequestTimeout, cancellationToken);
            return reply.GetProperty("type").GetString() == "error" ? throw SessionProtocolException.FromError(reply) : reply;
        }
        finally
        {
            _pending.TryRemove(reference, out _);
        }
    }

    /// <summary>
    /// Sends one message, the wait for the lock included, within <see cref="SessionSocketOptions.RequestTimeout"/>:
    /// a service that stops reading would otherwise hold the lock, and every later request, forever.
    /// </summary>
    private async Task SendAsync(ClientWebSocket socket, byte[] payload, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException
            && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A frame half sent leaves the connection unusable: drop it, and the socket reconnects and resumes.
            socket.Abort();
            throw new TimeoutException(
                $"The service did not take the message within {_options.RequestTimeout}; the connection was dropped and reconnects.", exception);
        }
        catch (ObjectDisposedException exception)
        {
            // The connection ended, and its socket was disposed, while this request waited for the lock.
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The connection dropped before the request was sent.", exception);
        }
    }

    // 1000: the session ended; 1003, 1009: the client sent what the service never accepts; 1008: authentication failed
    // or too many malformed messages, except "Too slow", which a reader that catches up can retry.
    private static bool IsFinal(WebSocketCloseStatus? status, string? description) => status switch
    {
        WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.InvalidMessageType or WebSocketCloseStatus.MessageTooBig => true,
        WebSocketCloseStatus.PolicyViolation => description?.StartsWith("Too slow", StringComparison.Ordinal) != true,
        _ => false,
    };
}
