using System.Net.WebSockets;
using System.Text;

namespace Api.Tests;

/// <summary>A raw WebSocket client over a real loopback socket, every wait bounded: for <c>/ws</c> and for frames no protocol client sends.</summary>
public sealed class SocketClient : IDisposable
{
    private SocketClient(ClientWebSocket socket, string sessionId)
    {
        Socket = socket;
        SessionId = sessionId;
    }

    public ClientWebSocket Socket { get; }

    /// <summary>The session the server attached this socket to, from the 101 response's X-Session-Id.</summary>
    public string SessionId { get; }

    public static async Task<SocketClient> ConnectAsync(Uri address, string? resumeToken = null, string? origin = null, string? hostHeader = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (hostHeader is not null)
        {
            socket.Options.SetRequestHeader("Host", hostHeader);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (resumeToken is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {resumeToken}");
        }

        try
        {
            await socket.ConnectAsync(address, Deadline.Token());
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var sessionId = socket.HttpResponseHeaders?.TryGetValue("X-Session-Id", out var values) == true ? values.Single() : "";
        return new SocketClient(socket, sessionId);
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type) =>
        await Socket.SendAsync(payload, type, endOfMessage: true, Deadline.Token());

    public async Task<string> ReceiveTextAsync()
    {
        var message = await ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Text, message.Type);
        return Encoding.UTF8.GetString(message.Payload);
    }

    public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync()
    {
        var token = Deadline.Token();
        var buffer = new byte[16 * 1024];
        using var payload = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, token);
            payload.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, payload.ToArray());
            }
        }
    }

    /// <summary>Reads until the server's close frame and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        while ((await ReceiveAsync()).Type != WebSocketMessageType.Close)
        {
        }

        return Socket.CloseStatus;
    }

    public void Dispose() => Socket.Dispose();
}
