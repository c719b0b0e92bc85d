using System.Net.WebSockets;
using System.Text;

namespace Cluster.Tests;

/// <summary>
/// One client socket on <c>/ws</c> that keeps one message outstanding and checks every reply: right text,
/// right order, or an explicit close. A reply that never comes within <see cref="ReplyTimeout"/> is silence.
/// </summary>
internal sealed class EchoSocket : IDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(45);

    private readonly ClientWebSocket _socket;
    private readonly List<DateTimeOffset> _answeredAt = [];

    private EchoSocket(ClientWebSocket socket, string sessionId)
    {
        _socket = socket;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    public int Sent { get; private set; }

    public int Answered => _answeredAt.Count;

    public int Wrong { get; private set; }

    public int Silent { get; private set; }

    public WebSocketCloseStatus? ClosedWith { get; private set; }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<EchoSocket> ConnectAsync(Uri frontEnd, string? session = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var query = session is null ? "" : $"?session={session}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(new Uri($"ws://{frontEnd.Authority}/ws{query}"), timeout.Token);
        return new EchoSocket(socket, socket.HttpResponseHeaders!["X-Session-Id"].Single());
    }

    public int AnsweredAfter(DateTimeOffset moment) => _answeredAt.Count(at => at > moment);

    /// <summary>Sends one message and checks its reply; false when the socket closed or stayed silent.</summary>
    public async Task<bool> EchoOnceAsync()
    {
        var text = $"{SessionId}-{Sent}";
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        Sent++;
        try
        {
            var buffer = new byte[4096];
            var received = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                ClosedWith = _socket.CloseStatus;
                return false;
            }

            if (Encoding.UTF8.GetString(buffer, 0, received.Count) == $"Echo: {text}")
            {
                _answeredAt.Add(DateTimeOffset.UtcNow);
            }
            else
            {
                Wrong++;
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            Silent++;
            return false;
        }
    }

    /// <summary>Echoes until <paramref name="stop"/>; a message in flight always gets its reply or its timeout.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && await EchoOnceAsync())
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Waits for the server's close frame; its status, or null if none came in time.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while ((await _socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            return null;
        }

        return _socket.CloseStatus;
    }

    public async Task SendBinaryAsync(byte[] payload)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _socket.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    /// <summary>A clean close from the client, answered by the server.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    public void Dispose() => _socket.Dispose();
}
