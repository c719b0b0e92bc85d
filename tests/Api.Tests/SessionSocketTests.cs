using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Grains.Abstractions;
using static Api.Tests.ProtocolClient;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class SessionSocketTests(CoHostedApiFixture fixture)
{
    private ApiHost Host => fixture.Host;

    [Fact]
    public async Task A_socket_authorized_by_header_is_welcomed_and_echoes_with_its_ref()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, token);

        var welcome = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "echo", data = "héllo", @ref = 7 });
        var reply = await socket.ReceiveAsync();

        Assert.Equal("welcome", TypeOf(welcome));
        Assert.Equal(id, welcome.GetProperty("session").GetString());
        Assert.Equal("echo", TypeOf(reply));
        Assert.Equal("Echo: héllo", reply.GetProperty("data").GetString());
        Assert.Equal(7, reply.GetProperty("ref").GetInt32());
    }

    [Fact]
    public async Task A_browser_socket_authenticates_with_its_first_message()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, headerToken: null);

        await socket.SendAsync(new { type = "auth", token });
        var welcome = await socket.ReceiveAsync();

        Assert.Equal("welcome", TypeOf(welcome));
    }

    [Fact]
    public async Task A_wrong_token_and_an_unknown_session_are_closed_alike_with_1008()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var wrong = await ProtocolClient.ConnectAsync(Host, id, headerToken: null);
        using var unknown = await ProtocolClient.ConnectAsync(Host, SessionId.New().Value, headerToken: null);

        await wrong.SendAsync(new { type = "auth", token = token[..^1] + "x" });
        await unknown.SendAsync(new { type = "auth", token });

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await wrong.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await unknown.ReceiveCloseAsync());
        Assert.Equal(wrong.Socket.Socket.CloseStatusDescription, unknown.Socket.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task A_socket_whose_first_message_is_a_request_before_auth_is_closed_with_1008()
    {
        using var api = new SessionApiClient(Host);
        var (id, _, _) = await api.CreateSessionAsync();
        using var talksFirst = await ProtocolClient.ConnectAsync(Host, id, headerToken: null);

        await talksFirst.SendAsync(new { type = "echo", data = "hi" });

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await talksFirst.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData("{bad")]
    [InlineData("[]")]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"x":"\ud800"}""")]
    public async Task Any_first_message_that_is_not_auth_closes_an_unauthenticated_socket_with_1008_even_when_malformed(string first)
    {
        using var api = new SessionApiClient(Host);
        var (id, _, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, headerToken: null);

        await socket.Socket.SendTextAsync(first);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ReceiveCloseAsync());
        Assert.StartsWith("Authenticate first", socket.Socket.Socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_header_token_is_refused_with_401_before_the_upgrade()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ProtocolClient.ConnectAsync(Host, id, token[..^1] + "x"));

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_of_a_task_started_over_http_reach_two_sockets_in_the_same_order()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var first = await ProtocolClient.ConnectAsync(Host, id, token);
        using var second = await ProtocolClient.ConnectAsync(Host, id, token);
        await first.ReceiveAsync();
        await second.ReceiveAsync();

        using var started = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":1}""");
        var taskId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var seenByFirst = await first.ReceiveUntilAsync(m => IsFinalEventOf(m, taskId));
        var seenBySecond = await second.ReceiveUntilAsync(m => IsFinalEventOf(m, taskId));

        var seqs = seenByFirst.Select(m => m.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs, seenBySecond.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Equal("task.started", TypeOf(seenByFirst[0]));
        Assert.Contains(seenByFirst, m => TypeOf(m) == "task.progress" && m.GetProperty("task").GetProperty("progress").GetInt32() is > 0 and < 100);
        Assert.Equal("task.completed", TypeOf(seenByFirst[^1]));
        Assert.Equal("succeeded", seenByFirst[^1].GetProperty("task").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_task_started_and_cancelled_on_the_socket_reports_both()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, token);
        await socket.ReceiveAsync();

        await socket.SendAsync(new { type = "task.start", kind = "cpu", work = 1_000_000_000, @ref = "job" });
        // The reply and the started event travel independently: either may come first.
        var before = new List<JsonElement>();
        while ((!before.Exists(m => TypeOf(m) == "task.accepted") || !before.Exists(m => TypeOf(m) == "task.started")) && before.Count < 1000)
        {
            before.Add(await socket.ReceiveAsync());
        }

        var accepted = before.Single(m => TypeOf(m) == "task.accepted");
        var taskId = accepted.GetProperty("task").GetProperty("id").GetString()!;
        await socket.SendAsync(new { type = "task.cancel", id = taskId });
        // The reply and the event travel independently: either may come first.
        var after = new List<JsonElement>();
        while ((!after.Exists(m => TypeOf(m) == "task.cancel.result") || !after.Exists(m => IsFinalEventOf(m, taskId))) && after.Count < 1000)
        {
            after.Add(await socket.ReceiveAsync());
        }

        Assert.Equal("job", accepted.GetProperty("ref").GetString());
        Assert.Equal("cancelled", after.Single(m => TypeOf(m) == "task.cancel.result").GetProperty("outcome").GetString());
        var final = after.Single(m => IsFinalEventOf(m, taskId));
        Assert.Equal("task.cancelled", TypeOf(final));
        Assert.Equal("cancelled", final.GetProperty("task").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reconnecting_with_lastSeq_replays_exactly_the_missed_events_then_live_ones()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        long lastSeen;
        using (var first = await ProtocolClient.ConnectAsync(Host, id, token))
        {
            await first.ReceiveAsync();
            await first.SendAsync(new { type = "task.start", kind = "cpu", work = 1000 });
            var events = await first.ReceiveUntilAsync(m => TypeOf(m) == "task.completed");
            lastSeen = events.Last(m => m.TryGetProperty("seq", out _)).GetProperty("seq").GetInt64();
            await first.Socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());
        }

        using var missedTask = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":1000}""", prefer: "wait=10");
        using var again = await ProtocolClient.ConnectAsync(Host, id, token, lastSeq: lastSeen);
        var welcome = await again.ReceiveAsync();
        var replay = new List<JsonElement>();
        for (var i = 0; i < welcome.GetProperty("replay").GetInt32(); i++)
        {
            replay.Add(await again.ReceiveAsync());
        }

        using var liveTask = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":0.1}""");
        var live = await again.ReceiveAsync();

        var lifecycle = replay.Select(TypeOf).Where(type => type != "task.progress");
        Assert.Equal(["task.queued", "task.started", "task.completed"], lifecycle);
        Assert.All(replay, m => Assert.Equal("2", m.GetProperty("task").GetProperty("id").GetString()));
        Assert.True(replay[0].GetProperty("seq").GetInt64() > lastSeen);
        Assert.Equal(welcome.GetProperty("seq").GetInt64(), replay[^1].GetProperty("seq").GetInt64());
        Assert.Equal("task.started", TypeOf(live));
        Assert.Equal("3", live.GetProperty("task").GetProperty("id").GetString());
        Assert.True(live.GetProperty("seq").GetInt64() > replay[^1].GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Deleting_the_session_closes_its_sockets_with_a_close_frame()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var protocol = await ProtocolClient.ConnectAsync(Host, id, token);
        using var echo = await SocketClient.ConnectAsync(new Uri(Host.SocketAddress, $"/ws?session={id}"), token);
        await protocol.ReceiveAsync();

        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/sessions/{id}", token);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await protocol.ReceiveCloseAsync());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await echo.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Malformed_messages_get_errors_naming_the_field_and_repeated_ones_close_with_1008()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, token);
        await socket.ReceiveAsync();

        await socket.Socket.SendTextAsync("{not json");
        var invalidJson = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "task.start", kind = "sleep", seconds = -1 });
        var badField = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "nope" });
        var unknownType = await socket.ReceiveAsync();
        for (var i = 0; i < 2; i++)
        {
            await socket.SendAsync(new { data = "no type" });
        }

        Assert.Equal("invalid_json", invalidJson.GetProperty("code").GetString());
        Assert.Equal("seconds", badField.GetProperty("field").GetString());
        Assert.Equal(400, badField.GetProperty("status").GetInt32());
        Assert.Equal("unknown_type", unknownType.GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_message_with_an_unknown_field_is_one_error_naming_it_and_counts_once()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, token);
        await socket.ReceiveAsync();

        // One fewer than WebSockets:MaxProtocolErrors (5): the socket must stay open for the echo after them.
        var errors = new List<JsonElement>();
        for (var i = 0; i < 2; i++)
        {
            await socket.Socket.SendTextAsync("""{"type":"echo","data":"x","zz":1}""");
            errors.Add(await socket.ReceiveAsync());
            await socket.Socket.SendTextAsync("""{"type":"task.cancel","id":"1","data":"x"}""");
            errors.Add(await socket.ReceiveAsync());
        }

        await socket.SendAsync(new { type = "echo", data = "still here" });
        var echoed = await socket.ReceiveAsync();

        Assert.Equal(["zz", "data", "zz", "data"], errors.Select(error => error.GetProperty("field").GetString()));
        Assert.Equal("Echo: still here", echoed.GetProperty("data").GetString());
    }

    [Fact]
    public async Task A_string_that_is_not_valid_unicode_is_an_invalid_json_error_and_the_socket_goes_on()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(Host, id, token);
        await socket.ReceiveAsync();

        await socket.Socket.SendTextAsync("""{"type":"echo","data":"\ud800"}""");
        var unpaired = await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "echo", data = "fine" });
        var echoed = await socket.ReceiveAsync();

        Assert.Equal("invalid_json", unpaired.GetProperty("code").GetString());
        Assert.Equal("Echo: fine", echoed.GetProperty("data").GetString());
    }

    [Fact]
    public async Task A_lastSeq_that_is_not_a_number_is_a_400_before_the_upgrade()
    {
        using var api = new SessionApiClient(Host);
        var (id, token, _) = await api.CreateSessionAsync();

        var refused = await Assert.ThrowsAsync<WebSocketException>(
            () => SocketClient.ConnectAsync(new Uri(Host.SocketAddress, $"/sessions/{id}/ws?lastSeq=abc"), token));

        Assert.Contains("400", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_1008_instead_of_queueing_without_bound()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["WebSockets:SendQueueLimit"] = "4";
        await using var host = ApiHost.Start(settings);
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(host, id, token);
        var big = new string('x', 60 * 1024);

        // The replies pile up: first in the kernel's socket buffers (a few MB on loopback), then in the bounded queue.
        const int Messages = 600;
        for (var i = 0; i < Messages; i++)
        {
            await socket.SendAsync(new { type = "echo", data = big });
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ReceiveCloseAsync());
        Assert.StartsWith("Too slow", socket.Socket.Socket.CloseStatusDescription, StringComparison.Ordinal);
    }
}
