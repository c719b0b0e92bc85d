using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Api.Events;
using Api.Http;
using Api.Observability;
using Api.Tasks;
using Api.WebSockets;
using Grains;
using Grains.Abstractions;

namespace Api.Protocol;

/// <summary>
/// A <c>/sessions/{id}/ws</c> socket: JSON requests (auth, echo, task.start, task.cancel) answered in order,
/// and the session's task events pushed as they happen. Everything the server sends goes through one
/// bounded queue; a client too slow to drain it is closed with 1008 instead of growing memory.
/// </summary>
internal sealed class SessionProtocolConnection : TextSocketConnection, ISessionEventSink
{
    private static readonly string[] Envelope = ["type", "ref", "idempotencyKey"];

    private readonly Channel<byte[]> _outbound;
    private readonly IGrainFactory _grains;
    private readonly ISessionGrain _session;
    private readonly SessionSocketContext _context;
    private readonly TaskOptions _taskOptions;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _authDeadline = new();
    private SessionSubscription? _subscription;
    private Task _sendLoop = Task.CompletedTask;
    private volatile bool _authenticated;
    private int _protocolErrors;
    private readonly OutageClock _outage = new(TimeProvider.System);

    public SessionProtocolConnection(
        WebSocket socket,
        IGrainFactory grains,
        SessionSocketContext context,
        WebSocketLimits limits,
        TaskOptions taskOptions,
        FrontEndMetrics metrics,
        ILogger logger,
        CancellationToken aborted)
        : base(socket, limits, metrics, aborted)
    {
        _grains = grains;
        _session = grains.GetGrain<ISessionGrain>(context.SessionId);
        _context = context;
        _taskOptions = taskOptions;
        _logger = logger;
        _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(limits.SendQueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Starts sending; subscribes at once when the upgrade was authorized, else waits for the auth message.</summary>
    public async Task OpenAsync()
    {
        _sendLoop = SendLoopAsync();
        if (_context.Authorized)
        {
            await AuthenticatedAsync();
            return;
        }

        _authDeadline.Token.Register(
            static state => ((SessionProtocolConnection)state!).AuthenticationTimedOut(), this);
        _authDeadline.CancelAfter(Limits.AuthTimeout);
    }

    public void OnConnected(SessionConnection connection) =>
        Enqueue(new WelcomeMessage(_context.SessionId, connection.Seq, connection.Missed.Count));

    public void OnEvent(SessionEvent sessionEvent) =>
        Enqueue(new EventMessage(ProtocolJson.TypeOf(sessionEvent.Kind), sessionEvent.Seq, sessionEvent.At, TaskView.From(sessionEvent.Task)));

    public void OnReset(SessionConnection connection) =>
        Enqueue(new ResetMessage(connection.Seq, connection.ResetReason!, [.. connection.Tasks.Select(TaskView.From)]));

    public void OnSessionEnded(string reason) =>
        StartClose(WebSocketCloseStatus.NormalClosure, "The session was ended", "session ended");

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask OnMessageAsync(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException exception)
        {
            Malformed("invalid_json", $"The message is not valid JSON: {exception.Message}", "$");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (DecodableJson.MayHoldBadEscape(message.Span) && !DecodableJson.AllStringsDecode(root))
            {
                Malformed("invalid_json", DecodableJson.Problem, "$");
                return;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                Malformed("invalid_message", "Each message is a JSON object with a \"type\", e.g. {\"type\":\"echo\",\"data\":\"hi\"}.", "type");
                return;
            }

            JsonElement? reference = root.TryGetProperty("ref", out var r) ? r.Clone() : null;
            try
            {
                if (!_authenticated)
                {
                    await AuthenticateAsync(type.GetString(), root);
                    return;
                }

                await DispatchAsync(type.GetString()!, root, reference);
                _outage.Ended();
            }
            catch (SessionNotFoundException)
            {
                // The session was deleted while this message was on its way.
                OnSessionEnded("The session no longer exists.");
            }
            catch (Exception exception) when (DependencyOutage.Of(exception) is { } missing)
            {
                Unavailable(missing, exception, reference);
            }
        }
    }

    protected override async Task OnEndedAsync()
    {
        _outbound.Writer.TryComplete();
        await _sendLoop;
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _authDeadline.Dispose();
        }

        base.Dispose(disposing);
    }

    private Task DispatchAsync(string type, JsonElement root, JsonElement? reference) => type switch
    {
        "echo" => EchoAsync(root, reference),
        "task.start" => StartTaskAsync(root, reference),
        "task.cancel" => CancelTaskAsync(root, reference),
        "auth" => Refuse("already_authenticated", "This socket is already authenticated.", "type", reference),
        _ => Refuse("unknown_type", $"Unknown type \"{type}\"; use echo, task.start or task.cancel.", "type", reference),
    };

    private async Task AuthenticateAsync(string? type, JsonElement root)
    {
        if (type != "auth" || !root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
        {
            RefuseUnauthenticated();
            return;
        }

        if (!await _session.Authorize(token.GetString()))
        {
            StartClose(WebSocketCloseStatus.PolicyViolation, "Unauthorized", "unauthorized");
            return;
        }

        await AuthenticatedAsync();
    }

    private async Task AuthenticatedAsync()
    {
        _authenticated = true;
        await _authDeadline.CancelAsync();
        try
        {
            _subscription = await SessionSubscription.StartAsync(_grains, _session, _context.ConnectionId, wantsEvents: true, _context.LastSeq, this, _logger);
        }
        catch (Exception exception) when (DependencyOutage.Of(exception) is { } missing)
        {
            // Without its subscription the socket cannot work: told why, then closed.
            Unavailable(missing, exception, null);
            StartClose(WebSocketCloseStatus.InternalServerError, "The session is unavailable", "session failed");
            return;
        }

        if (_subscription is null)
        {
            OnSessionEnded("The session no longer exists.");
        }
    }

    /// <summary>
    /// A request that met a storage or cluster outage is answered 503 naming the dependency, as over HTTP; the socket
    /// stays open for retries until the outage has outlasted <see cref="WebSocketLimits.RetryWindow"/>, then closes 1011.
    /// </summary>
    private void Unavailable(MissingDependency missing, Exception exception, JsonElement? reference)
    {
        WebSockets.Log.SessionCallFailed(_logger, _context.SessionId, _context.ConnectionId, exception);
        Enqueue(new ErrorMessage(StatusCodes.Status503ServiceUnavailable, "unavailable", DependencyOutage.Detail(missing), null, reference));
        if (_outage.Failed() >= Limits.RetryWindow)
        {
            StartClose(WebSocketCloseStatus.InternalServerError, "The session is unavailable", "session failed");
        }
    }

    /// <summary>A message that is not a protocol message: an error once authenticated, before that the same close as any other non-auth message.</summary>
    private void Malformed(string code, string detail, string field)
    {
        if (_authenticated)
        {
            ProtocolError(code, detail, field, null);
            return;
        }

        RefuseUnauthenticated();
    }

    private void RefuseUnauthenticated() =>
        StartClose(WebSocketCloseStatus.PolicyViolation, "Authenticate first: {\"type\":\"auth\",\"token\":\"...\"}", "not authenticated");

    private void AuthenticationTimedOut()
    {
        if (!_authenticated)
        {
            StartClose(WebSocketCloseStatus.PolicyViolation, "Authentication timed out", "auth timeout");
        }
    }

    private async Task EchoAsync(JsonElement root, JsonElement? reference)
    {
        if (!OnlyFields(root, ["type", "ref", "data"], reference))
        {
            return;
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
        {
            ProtocolError("invalid_message", "An echo is {\"type\":\"echo\",\"data\":\"<text>\"}.", "data", reference);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var text = data.GetString()!;
        var reply = await SessionCalls.EchoAsync(_session, text);
        Metrics.Echoed(started);
        Enqueue(new EchoReply(reply, reference));
    }

    private async Task StartTaskAsync(JsonElement root, JsonElement? reference)
    {
        string? key = null;
        if (root.TryGetProperty("idempotencyKey", out var keyElement) && (keyElement.ValueKind != JsonValueKind.String || !IdempotencyKey.IsValid(key = keyElement.GetString())))
        {
            ProtocolError("invalid_field", $"1 to {IdempotencyKey.MaxLength} printable ASCII characters.", "idempotencyKey", reference);
            return;
        }

        if (!TaskRequestParser.TryParse(root, _taskOptions, out var spec, out var error, Envelope))
        {
            ProtocolError("invalid_field", error.Message, error.Field, reference);
            return;
        }

        // Bounded like every socket call: a start sent to a silo that hangs answers 503 (its detail says a start
        // repeated with the same idempotencyKey starts it at most once) instead of holding the socket for the
        // 30 s response timeout.
        var start = await _session.StartTask(spec, key).WaitAsync(Limits.CallTimeout, Ending);
        switch (start)
        {
            case { Outcome: TaskStartOutcome.Started or TaskStartOutcome.Repeated, Task: { } task }:
                Enqueue(new TaskAcceptedMessage(TaskView.From(task), start.Outcome == TaskStartOutcome.Repeated, reference));
                break;
            case { Outcome: TaskStartOutcome.TooManyActiveTasks }:
                var limit = _taskOptions.MaxActivePerSession.ToString(CultureInfo.InvariantCulture);
                Enqueue(new ErrorMessage(StatusCodes.Status429TooManyRequests, "too_many_active_tasks",
                    $"The session already has {limit} queued or running tasks; retry when one finishes.", null, reference));
                break;
            case { Outcome: TaskStartOutcome.KeyReusedWithOtherSpec }:
                Enqueue(new ErrorMessage(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused",
                    "This idempotencyKey was already used with a different task.", "idempotencyKey", reference));
                break;
            case { Outcome: TaskStartOutcome.RepeatedTaskForgotten }:
                Enqueue(new ErrorMessage(StatusCodes.Status409Conflict, "original_task_forgotten",
                    "This idempotencyKey started a task that has left the session's history; nothing was started.", "idempotencyKey", reference));
                break;
            default:
                OnSessionEnded("The session no longer exists.");
                break;
        }
    }

    private async Task CancelTaskAsync(JsonElement root, JsonElement? reference)
    {
        if (!OnlyFields(root, ["type", "ref", "id"], reference))
        {
            return;
        }

        if (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            ProtocolError("invalid_message", "A cancel is {\"type\":\"task.cancel\",\"id\":\"<task id>\"}.", "id", reference);
            return;
        }

        var taskId = id.GetString()!;
        var outcome = await _session.CancelTask(taskId).WaitAsync(Limits.CallTimeout, Ending);
        var task = outcome == TaskCancelOutcome.NotFound ? null : await _session.GetTask(taskId).WaitAsync(Limits.CallTimeout, Ending);
        var name = outcome switch
        {
            TaskCancelOutcome.Cancelled => "cancelled",
            TaskCancelOutcome.AlreadyFinished => "already_finished",
            _ => "not_found",
        };
        Enqueue(new TaskCancelResultMessage(taskId, name, task is null ? null : TaskView.From(task), reference));
    }

    /// <summary>False, with the error already sent, when the message has a field the type does not take.</summary>
    private bool OnlyFields(JsonElement root, string[] allowed, JsonElement? reference)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                ProtocolError("invalid_field", $"Unknown field; allowed: {string.Join(", ", allowed)}.", property.Name, reference);
                return false;
            }
        }

        return true;
    }

    private Task Refuse(string code, string detail, string field, JsonElement? reference)
    {
        ProtocolError(code, detail, field, reference);
        return Task.CompletedTask;
    }

    /// <summary>Answers a malformed message with an error; too many of them close the socket with 1008.</summary>
    private void ProtocolError(string code, string detail, string? field, JsonElement? reference)
    {
        Enqueue(new ErrorMessage(StatusCodes.Status400BadRequest, code, detail, field, reference));
        if (Interlocked.Increment(ref _protocolErrors) >= Limits.MaxProtocolErrors)
        {
            StartClose(WebSocketCloseStatus.PolicyViolation, "Too many invalid messages", "protocol errors");
        }
    }

    private void Enqueue<T>(T message)
    {
        if (!_outbound.Writer.TryWrite(ProtocolJson.Serialize(message)) && IsOpen)
        {
            StartClose(WebSocketCloseStatus.PolicyViolation, $"Too slow: more than {Limits.SendQueueLimit} messages waiting", "send queue overflow");
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(Ending))
            {
                await SendUtf8Async(message);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is ending; what was not sent no longer has a reader.
        }
    }
}
