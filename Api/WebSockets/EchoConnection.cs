using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using Api.Events;
using Api.Observability;
using Grains.Abstractions;

namespace Api.WebSockets;

/// <summary>
/// The seed's <c>/ws</c>: each text message is answered before the next is read, so replies keep the order of
/// requests, and counted for its session. Session events are not sent; the session's end closes it.
/// </summary>
internal sealed class EchoConnection(
    WebSocket socket,
    ISessionGrain session,
    string sessionId,
    string connectionId,
    WebSocketLimits limits,
    FrontEndMetrics metrics,
    ILogger logger,
    CancellationToken aborted)
    : TextSocketConnection(socket, limits, metrics, aborted), ISessionEventSink
{
    private static readonly byte[] Prefix = "Echo: "u8.ToArray();

    private EchoReporter? _reporter;

    public void OnConnected(SessionConnection connection)
    {
    }

    public void OnEvent(SessionEvent sessionEvent)
    {
    }

    public void OnReset(SessionConnection connection)
    {
    }

    public void OnSessionEnded(string reason) =>
        StartClose(WebSocketCloseStatus.NormalClosure, "The session was ended", "session ended");

    public void OnSessionUnavailable(Exception exception)
    {
        Log.SessionCallFailed(logger, sessionId, connectionId, exception);
        StartClose(WebSocketCloseStatus.InternalServerError, "The session is unavailable", "session failed");
    }

    /// <summary>
    /// Answers <c>Echo: </c> and the message's own bytes (already checked as UTF-8 by the socket) without a
    /// call to the session: the session learns its echo count from <see cref="EchoReporter"/> in batches.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask OnMessageAsync(ReadOnlyMemory<byte> message)
    {
        var started = Stopwatch.GetTimestamp();
        var reply = ArrayPool<byte>.Shared.Rent(Prefix.Length + message.Length);
        try
        {
            Prefix.CopyTo(reply);
            message.Span.CopyTo(reply.AsSpan(Prefix.Length));
            await SendUtf8Async(reply.AsMemory(0, Prefix.Length + message.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reply);
        }

        (_reporter ??= new EchoReporter(session, Limits, OnSessionEnded, OnSessionUnavailable, logger, connectionId)).Count();
        Metrics.Echoed(started);
    }

    protected override Task OnEndedAsync() => _reporter?.FlushAsync() ?? Task.CompletedTask;
}
