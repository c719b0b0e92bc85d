using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Sessions.Client;

namespace Api.Tests.Client;

public sealed class SessionSocketSendTimeoutTests
{
    [Fact]
    public async Task A_service_that_stops_reading_fails_the_send_with_a_timeout_instead_of_holding_every_later_request()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var service = AcceptAndNeverReadAsync(listener);
        var options = new SessionSocketOptions { RequestTimeout = TimeSpan.FromSeconds(1) };
        await using var socket = await SessionSocket.ConnectAsync(
            new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), new SessionCredentials("s1", Token: null), options: options);
        using var accepted = await service.WaitAsync(Deadline.Default);

        // Far more than the loopback socket buffers hold, so the send cannot finish while nobody reads.
        var stuck = socket.EchoAsync(new string('x', 16 * 1024 * 1024));
        var queued = socket.EchoAsync("behind the stuck one");

        var timedOut = await Assert.ThrowsAsync<TimeoutException>(() => stuck.WaitAsync(Deadline.Default));
        Assert.Contains("did not take the message", timedOut.Message, StringComparison.Ordinal);
        var after = await Assert.ThrowsAnyAsync<Exception>(() => queued.WaitAsync(Deadline.Default));
        Assert.True(after is WebSocketException || after.Message.Contains("did not take the message", StringComparison.Ordinal), after.ToString());
    }

    /// <summary>Accepts one upgrade, sends a welcome, and then never reads: a service whose reading stopped.</summary>
    private static async Task<TcpClient> AcceptAndNeverReadAsync(TcpListener listener)
    {
        var client = await listener.AcceptTcpClientAsync(Deadline.Token());
        var stream = client.GetStream();
        var request = new StringBuilder();
        var one = new byte[1];
        while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, Deadline.Token()) == 1)
        {
            request.Append((char)one[0]);
        }

        var key = request.ToString().Split("\r\n").Single(line => line.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))["Sec-WebSocket-Key:".Length..].Trim();
#pragma warning disable CA5350 // RFC 6455 defines Sec-WebSocket-Accept with SHA-1.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), Deadline.Token());
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        await socket.SendAsync("""{"type":"welcome","seq":0}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Deadline.Token());
        return client;
    }
}
