using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using Api.Events;
using Api.Http;
using Api.Observability;
using Grains.Abstractions;

namespace Api.WebSockets;

/// <summary>
/// The seed's <c>/ws</c>: each text message is answered by the socket's session before the next is read, so replies
/// keep the order of requests and the session's echo count is the replies sent. Session events are not sent; the session's end closes it.
/// </summary>
internal sealed class EchoConnection(
    WebSocket socket,
    ISessionGrain session,
    string sessionId,
    string connectionId,
    WebSocketLimits limits,
    FrontEndMetrics metrics,
    TimeProvider clock,
    ILogger logger,
    HttpContext request)
    : TextSocketConnection(socket, limits, metrics, clock, request), ISessionEventSink
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

    /// <summary>
    /// Relays the message's bytes (already checked as UTF-8 by the socket) to the session, which counts it and
    /// answers <c>Echo: </c> and the same bytes; the next message is read only once this reply is sent.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask OnMessageAsync(ReadOnlyMemory<byte> message)
    {
        var started = Metrics.Timestamp();
        byte[] reply;
        try
        {
            reply = await SessionCalls.EchoUtf8Async(session, message);
        }
        catch (SessionNotFoundException)
        {
            // The session was deleted while this message was on its way.
            OnSessionEnded("The session no longer exists.");
            return;
        }
        catch (Exception exception) when (exception is TimeoutException || DependencyOutage.Of(exception) is not null)
        {
            OnSessionUnavailable(exception);
            return;
        }

        await SendUtf8Async(reply);
        Metrics.Echoed(started);
    }
}
