using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class TaskPolicyApiTests(CoHostedApiFixture fixture)
{
    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_original_task_and_starts_nothing()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        const string Body = """{"kind":"sleep","seconds":60}""";

        using var first = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, Body, idempotencyKey: "order-42");
        using var repeat = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, Body, idempotencyKey: "order-42");
        using var list = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks", token);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal(1, (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_a_malformed_key_is_400()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var first = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":10}""", idempotencyKey: "k");
        using var other = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":11}""", idempotencyKey: "k");
        using var malformed = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":10}""", idempotencyKey: new string('k', 300));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("Idempotency-Key", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"kind":"sleep","seconds":5,"onDisconnect":"stop"}""", "onDisconnect")]
    [InlineData("""{"kind":"sleep","seconds":5,"onDisconnect":{"cancelAfterSeconds":0}}""", "onDisconnect.cancelAfterSeconds")]
    [InlineData("""{"kind":"sleep","seconds":5,"onDisconnect":{"cancelAfterSeconds":1e-300}}""", "onDisconnect.cancelAfterSeconds")]
    [InlineData("""{"kind":"sleep","seconds":5,"onDisconnect":{"cancelAfter":3}}""", "onDisconnect.cancelAfter")]
    [InlineData("""{"kind":"sleep","seconds":5,"onDisconnect":{}}""", "onDisconnect.cancelAfterSeconds")]
    public async Task A_bad_disconnect_policy_is_400_naming_the_field(string body, string field)
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var response = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_task_with_cancelAfterSeconds_is_cancelled_once_the_last_socket_has_been_gone_that_long()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var socket = await ProtocolClient.ConnectAsync(fixture.Host, id, token);
        await socket.ReceiveAsync();
        using var started = await api.SendAsync(
            HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":600,"onDisconnect":{"cancelAfterSeconds":1}}""");
        var task = await started.Content.ReadFromJsonAsync<JsonElement>();
        var path = $"/sessions/{id}/tasks/{task.GetProperty("id").GetString()}";

        await socket.Socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Deadline.Token());
        var closedAt = DateTimeOffset.UtcNow;
        var final = await Deadline.PollAsync(
            async () =>
            {
                using var read = await api.SendAsync(HttpMethod.Get, path, token);
                return await read.Content.ReadFromJsonAsync<JsonElement>();
            },
            t => t.GetProperty("status").GetString() != "running");

        Assert.Equal(1, task.GetProperty("onDisconnect").GetProperty("cancelAfterSeconds").GetDouble());
        Assert.Equal("cancelled", final.GetProperty("status").GetString());
        Assert.Contains("onDisconnect", final.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(final.GetProperty("finishedAt").GetDateTimeOffset() - closedAt >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_problem_details()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        var huge = $$"""{"kind":"sleep","seconds":1,"padding":"{{new string('x', 2 * 1024 * 1024)}}"}""";

        using var response = await PostOversizedAsync($"/sessions/{id}/tasks", token, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_even_where_the_endpoint_reads_no_body()
    {
        var huge = new string('x', 2 * 1024 * 1024);

        using var response = await PostOversizedAsync("/sessions", token: null, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Sends with <c>Expect: 100-continue</c>: the client writes the body only once the server asks for it, so the
    /// server's early 413 is read instead of cutting the upload off with a broken pipe (which failed these tests on a
    /// loaded machine).
    /// </summary>
    private async Task<HttpResponseMessage> PostOversizedAsync(string path, string? token, string body)
    {
        using var http = fixture.Host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_repeated_key_whose_task_has_left_the_history_is_409_and_starts_nothing()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Tasks:HistoryPerSession"] = "1";
        await using var host = ApiHost.Start(settings);
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();
        const string Keyed = """{"kind":"cpu","work":10}""";

        using var first = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, Keyed, prefer: "wait=10", idempotencyKey: "k");
        for (var i = 0; i < 2; i++)
        {
            using var later = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":11}""", prefer: "wait=10");
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }

        using var repeat = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, Keyed, idempotencyKey: "k");
        using var list = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks", token);
        var tasks = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tasks");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Equal("application/problem+json", repeat.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Original task no longer kept", (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.DoesNotContain(tasks.EnumerateArray(), task => task.GetProperty("work").GetInt64() == 10);
        Assert.Equal(3, tasks.EnumerateArray().Max(task => int.Parse(task.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
