using System.Net.WebSockets;
using Api.WebSockets;
using Microsoft.Extensions.DependencyInjection;

namespace Api.Tests;

/// <summary>The WebSocket limits of a front end, each on a host configured to reach it quickly.</summary>
public sealed class WebSocketEdgeTests
{
    private static ApiHost Start(params (string Key, string Value)[] settings)
    {
        var all = ApiHost.CoHostedSettings();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return ApiHost.Start(all);
    }

    private static Task<SocketClient> ConnectAsync(ApiHost host, string? origin = null) =>
        SocketClient.ConnectAsync(new Uri(host.SocketAddress, "/ws"), origin: origin);

    [Fact]
    public async Task A_cross_site_upgrade_is_refused_with_403_and_same_site_or_listed_origins_pass()
    {
        await using var host = Start(("WebSockets:AllowedOrigins:0", "https://app.example"));
        var otherHost = $"http://{host.BaseAddress.Authority}";

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(host, "https://evil.example"));
        using var listed = await ConnectAsync(host, "https://app.example");
        using var noOrigin = await ConnectAsync(host);

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, listed.Socket.State);
        Assert.Equal(WebSocketState.Open, noOrigin.Socket.State);

        await using var sameSiteOnly = Start();
        using var sameSite = await SocketClient.ConnectAsync(new Uri(sameSiteOnly.SocketAddress, "/ws"), origin: $"http://{sameSiteOnly.BaseAddress.Authority}");
        var otherSite = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(new Uri(sameSiteOnly.SocketAddress, "/ws"), origin: otherHost));
        Assert.Equal(WebSocketState.Open, sameSite.Socket.State);
        Assert.Contains("403", otherSite.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sockets_over_the_limit_get_503_before_the_upgrade_and_a_freed_place_is_reused()
    {
        await using var host = Start(("WebSockets:MaxConnections", "2"));
        using var first = await ConnectAsync(host);
        var second = await ConnectAsync(host);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(host));
        await second.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());
        second.Dispose();
        var admission = host.Services.GetRequiredService<SocketAdmission>();
        await Deadline.PollAsync(() => Task.FromResult(admission.Open), open => open < 2);
        using var third = await ConnectAsync(host);

        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, third.Socket.State);
    }

    [Fact]
    public async Task A_sustained_flood_closes_the_socket_with_1008_while_a_burst_passes()
    {
        await using var host = Start(("WebSockets:MessagesPerSecond", "20"), ("WebSockets:MessageBurst", "50"));
        using var bursty = await ConnectAsync(host);
        using var flooding = await ConnectAsync(host);

        for (var i = 0; i < 40; i++)
        {
            await bursty.SendTextAsync("burst");
        }

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal("Echo: burst", await bursty.ReceiveTextAsync());
        }

        for (var i = 0; i < 300 && flooding.Socket.State == WebSocketState.Open; i++)
        {
            await flooding.SendTextAsync("flood");
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await flooding.ReceiveCloseAsync());
        Assert.StartsWith("Too many messages", flooding.Socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_empty_fragments_in_one_message_closes_the_socket_with_1008()
    {
        await using var host = Start(("WebSockets:MessagesPerSecond", "20"), ("WebSockets:MessageBurst", "50"));
        using var flooding = await ConnectAsync(host);

        // Empty fragments never grow the message, so only counting them stops the flood.
        await flooding.Socket.SendAsync("a"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, Deadline.Token());
        try
        {
            for (var i = 0; i < 20_000; i++)
            {
                await flooding.Socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: false, Deadline.Token());
            }
        }
        catch (WebSocketException)
        {
            // The server closed the connection while the flood was still being sent.
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await flooding.ReceiveCloseAsync());
        Assert.StartsWith("Too many messages", flooding.Socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_answers_no_ping_is_dropped_and_its_place_freed()
    {
        await using var host = Start(("WebSockets:KeepAliveInterval", "00:00:01"), ("WebSockets:KeepAliveTimeout", "00:00:02"));
        var admission = host.Services.GetRequiredService<SocketAdmission>();
        using var silent = await ConnectAsync(host);
        Assert.Equal(1, admission.Open);

        // A client that never reads never answers the server's pings.
        var open = await Deadline.PollAsync(() => Task.FromResult(admission.Open), count => count == 0);

        Assert.Equal(0, open);
    }
}
