using System.Net.WebSockets;
using System.Text.Json;
using Grains.Abstractions;

namespace Api.Protocol;

/// <summary>
/// A session socket's authentication: accepted at the upgrade (a valid Authorization header or a session without a
/// token), or by an <c>auth</c> message before the deadline. Until then any other message closes the socket with 1008.
/// </summary>
internal sealed class ProtocolAuthentication(ISessionSocket socket, TimeSpan callTimeout, TimeProvider clock, CancellationToken ending) : IDisposable
{
    private ITimer? _deadline;
    private volatile bool _authenticated;

    public bool IsAuthenticated => _authenticated;

    /// <summary>Closes the socket if it has not authenticated within <paramref name="timeout"/>.</summary>
    public void StartDeadline(TimeSpan timeout) =>
        _deadline = clock.CreateTimer(static state => ((ProtocolAuthentication)state!).TimedOut(), this, timeout, Timeout.InfiniteTimeSpan);

    /// <summary>Takes the first message of an unauthenticated socket, which must be <c>{"type":"auth","token":"..."}</c>.</summary>
    public async Task AuthenticateAsync(string? type, JsonElement root, ISessionGrain session)
    {
        if (type != "auth" || !root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
        {
            Refuse();
            return;
        }

        // Bounded like every socket call: a silo that hangs answers 503 instead of holding the message for Orleans' 30 s.
        if (!await session.Authorize(token.GetString()).WaitAsync(callTimeout, clock, ending))
        {
            socket.Close(WebSocketCloseStatus.PolicyViolation, "Unauthorized", "unauthorized");
            return;
        }

        await AcceptAsync();
    }

    public async Task AcceptAsync()
    {
        _authenticated = true;
        _deadline?.Dispose();
        await socket.StartEventsAsync();
    }

    /// <summary>The answer to anything but a valid auth message before authentication.</summary>
    public void Refuse() =>
        socket.Close(WebSocketCloseStatus.PolicyViolation, "Authenticate first: {\"type\":\"auth\",\"token\":\"...\"}", "not authenticated");

    public void Dispose() => _deadline?.Dispose();

    private void TimedOut()
    {
        if (!_authenticated)
        {
            socket.Close(WebSocketCloseStatus.PolicyViolation, "Authentication timed out", "auth timeout");
        }
    }
}
