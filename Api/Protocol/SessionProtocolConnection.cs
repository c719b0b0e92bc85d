using System.Net.WebSockets;
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
/// and the session's task events pushed as they happen. Its parts: <see cref="ProtocolAuthentication"/>,
/// <see cref="ProtocolDispatcher"/> with <see cref="SessionRequests"/>, and the <see cref="OutboundQueue"/>
/// that everything sent goes through.
/// </summary>
internal sealed class SessionProtocolConnection : TextSocketConnection, ISessionEventSink, ISessionSocket
{
    private readonly OutboundQueue _outbound;
    private readonly IGrainFactory _grains;
    private readonly ISessionGrain _session;
    private readonly SessionSocketContext _context;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ProtocolAuthentication _authentication;
    private readonly ProtocolDispatcher _dispatcher;
    private SessionSubscription? _subscription;
    private Task _sendLoop = Task.CompletedTask;

    public SessionProtocolConnection(
        WebSocket socket,
        IGrainFactory grains,
        SessionSocketContext context,
        WebSocketLimits limits,
        TaskOptions taskOptions,
        FrontEndMetrics metrics,
        TimeProvider clock,
        ILogger logger,
        HttpContext request)
        : base(socket, limits, metrics, clock, request)
    {
        _grains = grains;
        _session = grains.GetGrain<ISessionGrain>(context.SessionId);
        _context = context;
        _clock = clock;
        _logger = logger;
        _outbound = new OutboundQueue(limits.SendQueueLimit);
        _authentication = new ProtocolAuthentication(this, limits.CallTimeout, clock, Ending);
        var errors = new ProtocolErrors(this, limits.MaxProtocolErrors);
        var requests = new SessionRequests(this, _session, SessionCalls, errors, limits, taskOptions, metrics, clock, Ending);
        _dispatcher = new ProtocolDispatcher(this, _authentication, requests, errors, context, limits, clock, logger);
    }

    /// <summary>Starts sending; subscribes at once when the upgrade was authorized, else waits for the auth message.</summary>
    public async Task OpenAsync()
    {
        _sendLoop = _outbound.SendAllAsync(SendUtf8Async, Ending);
        if (_context.Authorized)
        {
            await _authentication.AcceptAsync();
            return;
        }

        _authentication.StartDeadline(Limits.AuthTimeout);
    }

    public void OnConnected(SessionConnection connection) =>
        Send(new WelcomeMessage(_context.SessionId, connection.Seq, connection.Missed.Count));

    public void OnEvent(SessionEvent sessionEvent) =>
        Send(new EventMessage(ProtocolJson.TypeOf(sessionEvent.Kind), sessionEvent.Seq, sessionEvent.At, TaskView.From(sessionEvent.Task)));

    public void OnReset(SessionConnection connection) =>
        Send(new ResetMessage(connection.Seq, connection.ResetReason!, [.. connection.Tasks.Select(TaskView.From)]));

    public void OnSessionEnded(string reason) =>
        StartClose(WebSocketCloseStatus.NormalClosure, "The session was ended", "session ended");

    public void Send<T>(T message)
    {
        if (!_outbound.TryEnqueue(message) && IsOpen)
        {
            StartClose(WebSocketCloseStatus.PolicyViolation, $"Too slow: more than {Limits.SendQueueLimit} messages waiting", "send queue overflow");
        }
    }

    public void Close(WebSocketCloseStatus status, string description, string reason) => StartClose(status, description, reason);

    public async Task StartEventsAsync() =>
        _subscription = await SessionSubscription.StartAsync(
            _grains, _session, _context.ConnectionId, wantsEvents: true, _context.LastSeq, this, _clock, Limits.CallTimeout, _logger, (missing, exception) =>
            {
                _dispatcher.Unavailable(missing, exception, null);
                StartClose(WebSocketCloseStatus.InternalServerError, "The session is unavailable", "session failed");
            });

    protected override ValueTask OnMessageAsync(ReadOnlyMemory<byte> message) => _dispatcher.HandleAsync(message);

    protected override async Task OnEndedAsync()
    {
        _outbound.Complete();
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
            _authentication.Dispose();
        }

        base.Dispose(disposing);
    }
}
