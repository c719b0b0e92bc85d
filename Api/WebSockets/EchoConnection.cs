using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using Api.Events;
using Api.Observability;
using Grains.Abstractions;

namespace Api.WebSockets;

/// <summary>
/// The seed's <c>/ws</c>: each text message is echoed by the session grain and answered before the next
/// is read, so replies keep the order of requests. Session events are not sent; the session's end closes it.
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask OnMessageAsync(ReadOnlyMemory<byte> message)
    {
        var started = Stopwatch.GetTimestamp();
        var text = Encoding.UTF8.GetString(message.Span);
        string reply;
        try
        {
            reply = await SessionCalls.EchoAsync(session, text);
        }
        catch (Exception exception) when (exception is SessionNotFoundException or OrleansException or TimeoutException)
        {
            OnSessionUnavailable(exception);
            return;
        }

        Metrics.Echoed(started);
        await SendTextAsync(reply);
    }
}
