using System.Net.WebSockets;

namespace Api.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_server_closes_open_sockets_with_1001()
    {
        var host = ApiHost.Start(ApiHost.CoHostedSettings());
        using var client = await SocketClient.ConnectAsync(new Uri(host.SocketAddress, "/ws"));
        await client.SendTextAsync("before shutdown");
        Assert.Equal("Echo: before shutdown", await client.ReceiveTextAsync());

        var stopping = host.DisposeAsync().AsTask();
        var status = await client.ReceiveCloseAsync();
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());
        await stopping.WaitAsync(Deadline.Default);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }
}
