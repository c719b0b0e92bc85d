using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Sessions.Client;

namespace Cluster.Tests;

/// <summary>
/// A client of <c>/sessions/{id}/ws</c> whose echoes go through the session grain: one echo outstanding at a time,
/// each reply checked and its time kept, so a test sees when a session stopped and started answering again. Raw, not
/// Sessions.Client's socket, whose resuming would hide the silences and closes this measures.
/// </summary>
internal sealed class SessionSocket : IDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(45);

    private readonly ClientWebSocket _socket;
    private readonly List<DateTimeOffset> _answeredAt = [];
    private readonly byte[] _buffer = new byte[64 * 1024];

    private SessionSocket(ClientWebSocket socket, string sessionId, string token)
    {
        _socket = socket;
        SessionId = sessionId;
        Token = token;
    }

    public string SessionId { get; }

    public string Token { get; }

    public int Sent { get; private set; }

    public int Answered => _answeredAt.Count;

    /// <summary>Echoes answered with an error (status 503) instead of a reply.</summary>
    public int Unavailable { get; private set; }

    public int Wrong { get; private set; }

    public WebSocketCloseStatus? ClosedWith { get; private set; }

    /// <summary>Creates a session over HTTP and opens its socket with the resume token.</summary>
    public static async Task<SessionSocket> OpenAsync(HttpClient http, Uri frontEnd)
    {
        var created = await new SessionsApi(http).CreateSessionAsync();
        var socket = new ClientWebSocket();
        SessionSocketHandshake.Authorize(socket.Options, created);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(SessionSocketHandshake.Address(frontEnd, created.Id), timeout.Token);
        var session = new SessionSocket(socket, created.Id, created.Token!);
        await session.ReceiveAsync(message => message.GetProperty("type").GetString() == "welcome", timeout.Token);
        return session;
    }

    /// <summary>The longest time between two answers, or from <paramref name="from"/> to the first answer after it.</summary>
    /// <summary>The longest time between answers from <paramref name="from"/> to <paramref name="until"/>, both ends counted.</summary>
    public TimeSpan LongestSilenceBetween(DateTimeOffset from, DateTimeOffset until)
    {
        var longest = TimeSpan.Zero;
        var previous = from;
        foreach (var at in _answeredAt.Where(at => at > from && at <= until).Append(until))
        {
            longest = at - previous > longest ? at - previous : longest;
            previous = at;
        }

        return longest;
    }

    /// <summary>Echoes until <paramref name="stop"/>; false from a single echo ends the loop (closed or silent).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && await EchoOnceAsync())
        {
            await Task.Delay(50, CancellationToken.None);
        }
    }

    public async Task<bool> EchoOnceAsync()
    {
        var reference = ++Sent;
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var text = $"{SessionId}-{reference}";
        var json = JsonSerializer.Serialize(new { type = "echo", data = text, @ref = reference });
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var reply = await ReceiveAsync(
            message => message.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.Number && r.GetInt32() == reference,
            timeout.Token);
        switch (reply)
        {
            case null:
                return false;
            case { } error when error.GetProperty("type").GetString() == "error" && error.GetProperty("status").GetInt32() == 503:
                Unavailable++;
                return true;
            case { } echo when echo.GetProperty("type").GetString() == "echo" && echo.GetProperty("data").GetString() == $"Echo: {text}":
                _answeredAt.Add(DateTimeOffset.UtcNow);
                return true;
            default:
                Wrong++;
                return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Reads messages (skipping task events) until one matches; null when the socket closed.</summary>
    private async Task<JsonElement?> ReceiveAsync(Func<JsonElement, bool> wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await _socket.ReceiveAsync(_buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                ClosedWith = _socket.CloseStatus;
                return null;
            }

            var message = JsonDocument.Parse(_buffer.AsMemory(0, received.Count)).RootElement.Clone();
            if (wanted(message))
            {
                return message;
            }
        }
    }
}
