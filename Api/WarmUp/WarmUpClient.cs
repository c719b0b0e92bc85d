using System.Net.WebSockets;
using System.Text;
using Sessions.Client;

namespace Api.WarmUp;

/// <summary>
/// One warm-up client against the front end's own address: what users do most, over real HTTP and sockets, so the
/// same code runs hot afterwards — a session made and read back, a short task waited for, echoes on <c>/ws</c> and on
/// the session socket, and the session deleted again.
/// </summary>
internal sealed class WarmUpClient(HttpClient http, Uri address)
{
    private const int Echoes = 40;
    private static readonly TaskStartRequest ShortSleep = TaskStartRequest.Sleep(0.001);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var api = new SessionsApi(http);
        var session = await api.CreateSessionAsync(cancellationToken);
        try
        {
            await api.StartTaskAsync(session, ShortSleep, wait: TimeSpan.FromSeconds(5), cancellationToken: cancellationToken);
            await api.GetSessionAsync(session, cancellationToken);
            await using (var socket = await SessionSocket.ConnectAsync(address, session, cancellationToken: cancellationToken))
            {
                for (var i = 0; i < Echoes; i++)
                {
                    await socket.EchoAsync("warm-up", cancellationToken);
                }
            }
        }
        finally
        {
            await api.DeleteSessionAsync(session, CancellationToken.None);
        }

        await EchoOnPlainSocketAsync(cancellationToken);
    }

    private async Task EchoOnPlainSocketAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(address) { Scheme = address.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri, cancellationToken);
        var message = "warm-up"u8.ToArray();
        var reply = new byte[256];
        for (var i = 0; i < Echoes; i++)
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            var received = await socket.ReceiveAsync(reply.AsMemory(), cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"/ws closed during the warm-up: {socket.CloseStatus} {Encoding.UTF8.GetString(reply, 0, received.Count)}");
            }
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "warmed up", cancellationToken);
    }
}
