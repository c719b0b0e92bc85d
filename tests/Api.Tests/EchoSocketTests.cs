using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Mvc;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class EchoSocketTests(CoHostedApiFixture fixture)
{
    private Uri Echo(string? session = null) =>
        new(fixture.Host.SocketAddress, session is null ? "/ws" : $"/ws?session={session}");

    [Theory]
    [InlineData("hello")]
    [InlineData("héllo wörld — 你好 👋🏽")]
    [InlineData("")]
    public async Task Each_text_message_is_echoed(string text)
    {
        using var client = await SocketClient.ConnectAsync(Echo());

        await client.SendTextAsync(text);

        Assert.Equal($"Echo: {text}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_upgrade_names_a_new_session_that_counts_the_connection()
    {
        using var client = await SocketClient.ConnectAsync(Echo());
        await client.SendTextAsync("one");
        await client.ReceiveTextAsync();

        // The session answered the echo, so it has counted it by the time the reply arrives: no wait, no poll.
        var session = await fixture.Host.ReadSessionAsync(client.SessionId);

        Assert.NotNull(session);
        Assert.Equal(1, session.OpenConnections);
        Assert.Equal(1, session.EchoedMessages);
    }

    [Fact]
    public async Task A_sixty_kilobyte_message_is_echoed_whole()
    {
        using var client = await SocketClient.ConnectAsync(Echo());
        var text = string.Concat(Enumerable.Range(0, 60 * 1024).Select(i => (char)('a' + (i % 26))));

        await client.SendTextAsync(text);

        Assert.Equal($"Echo: {text}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_thousand_messages_in_a_row_are_answered_in_order()
    {
        using var client = await SocketClient.ConnectAsync(Echo());
        var replies = new List<string>();

        var receiving = Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                replies.Add(await client.ReceiveTextAsync());
            }
        });
        for (var i = 0; i < 1000; i++)
        {
            await client.SendTextAsync($"message {i}");
        }

        await receiving.WaitAsync(Deadline.Default);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"Echo: message {i}"), replies);
    }

    [Fact]
    public async Task Two_sockets_share_one_session()
    {
        using var first = await SocketClient.ConnectAsync(Echo());
        using var second = await SocketClient.ConnectAsync(Echo(first.SessionId));

        await first.SendTextAsync("from the first");
        await second.SendTextAsync("from the second");

        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal("Echo: from the first", await first.ReceiveTextAsync());
        Assert.Equal("Echo: from the second", await second.ReceiveTextAsync());
        var session = await Deadline.PollAsync(() => fixture.Host.ReadSessionAsync(first.SessionId), s => s?.EchoedMessages == 2);
        Assert.Equal(2, session!.OpenConnections);
        Assert.Equal(2, session.EchoedMessages);
    }

    [Fact]
    public async Task A_clean_close_is_answered_releases_the_connection_and_reports_the_last_echoes()
    {
        using var client = await SocketClient.ConnectAsync(Echo());
        for (var i = 0; i < 3; i++)
        {
            await client.SendTextAsync($"before closing {i}");
            await client.ReceiveTextAsync();
        }

        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Deadline.Token());

        Assert.Equal(WebSocketState.Closed, client.Socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus);
        var session = await Deadline.PollAsync(() => fixture.Host.ReadSessionAsync(client.SessionId), s => s?.OpenConnections == 0);
        Assert.Equal(0, session!.OpenConnections);
        Assert.Equal(3, session.EchoedMessages);
    }

    [Fact]
    public async Task A_client_that_drops_without_a_close_frame_is_detached()
    {
        using var client = await SocketClient.ConnectAsync(Echo());
        await client.SendTextAsync("ping");
        await client.ReceiveTextAsync();
        Assert.Equal(1, (await fixture.Host.ReadSessionAsync(client.SessionId))!.OpenConnections);

        client.Socket.Abort();

        var session = await Deadline.PollAsync(() => fixture.Host.ReadSessionAsync(client.SessionId), s => s?.OpenConnections == 0);
        Assert.Equal(0, session!.OpenConnections);
        using var next = await SocketClient.ConnectAsync(Echo(client.SessionId));
        await next.SendTextAsync("still served");
        Assert.Equal("Echo: still served", await next.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_unknown_session_is_refused_with_401_before_the_upgrade()
    {
        var unknown = Grains.Abstractions.SessionId.New().Value;

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(Echo(unknown)));

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.Null(await fixture.Host.ReadSessionAsync(unknown));
    }

    [Fact]
    public async Task A_malformed_session_is_refused_with_400_before_the_upgrade()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(Echo("../../etc")));

        Assert.Contains("400", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_http_get_is_a_400_problem_with_a_hint()
    {
        using var http = fixture.Host.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/ws", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("WebSocket upgrade required", problem!.Title);
        Assert.Contains("WebSocket client", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upgrade_in_another_websocket_version_is_a_426_naming_version_13()
    {
        using var http = fixture.Host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/ws", UriKind.Relative));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "8");
        request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("13", response.Headers.GetValues("Sec-WebSocket-Version").Single());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_binary_message_closes_the_socket_with_1003()
    {
        using var client = await SocketClient.ConnectAsync(Echo());

        await client.SendAsync([1, 2, 3], WebSocketMessageType.Binary);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Invalid_utf8_closes_the_socket_with_1007_that_the_client_receives_every_time()
    {
        // Repeated because the close frame used to lose a race with the connection reset.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var client = await SocketClient.ConnectAsync(Echo());

            await client.SendAsync([0xFF, 0xFE, (byte)'x'], WebSocketMessageType.Text);

            Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await client.ReceiveCloseAsync());
        }
    }

    [Fact]
    public async Task A_character_cut_off_at_the_end_of_a_fragmented_message_closes_the_socket_with_1007()
    {
        using var client = await SocketClient.ConnectAsync(Echo());

        // "ab" and the first two bytes of a three-byte character, then an empty final fragment.
        await client.Socket.SendAsync(new byte[] { (byte)'a', (byte)'b', 0xE2, 0x82 }, WebSocketMessageType.Text, endOfMessage: false, Deadline.Token());
        await client.Socket.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, endOfMessage: true, Deadline.Token());

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_the_socket_with_1009()
    {
        using var client = await SocketClient.ConnectAsync(Echo());

        await client.SendTextAsync(new string('x', 64 * 1024 + 1));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_session_with_a_resume_token_is_refused_without_it()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, _, _) = await api.CreateSessionAsync();

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(Echo(id)));

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_with_a_resume_token_is_served_when_the_upgrade_carries_it()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var client = await SocketClient.ConnectAsync(Echo(id), token);
        await client.SendTextAsync("with my token");

        Assert.Equal(id, client.SessionId);
        Assert.Equal("Echo: with my token", await client.ReceiveTextAsync());
    }
}
