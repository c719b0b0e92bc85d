using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class SessionApiTests(CoHostedApiFixture fixture)
{
    [Fact]
    public async Task Creating_a_session_answers_201_with_its_location_and_a_resume_token()
    {
        using var api = new SessionApiClient(fixture.Host);

        var (id, token, response) = await api.CreateSessionAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/sessions/{id}", response.Headers.Location?.OriginalString);
        Assert.True(Grains.Abstractions.SessionId.TryParse(id, out _));
        Assert.True(token.Length >= 22);
        using var read = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}", token);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Missing_wrong_and_unknown_all_get_the_same_401()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var missing = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}", null);
        using var wrong = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}", token[..^1] + "x");
        using var unknown = await api.SendAsync(HttpMethod.Get, $"/sessions/{Grains.Abstractions.SessionId.New().Value}", token);

        foreach (var response in new[] { missing, wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        var bodies = await Task.WhenAll(new[] { missing, wrong, unknown }.Select(async r => (await r.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail));
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task A_task_is_accepted_with_its_location_and_can_be_read_back()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var started = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":30}""");
        var task = await started.Content.ReadFromJsonAsync<JsonElement>();
        using var read = await api.SendAsync(HttpMethod.Get, started.Headers.Location!.OriginalString, token);
        var readBack = await read.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal($"/sessions/{id}/tasks/{task.GetProperty("id").GetString()}", started.Headers.Location!.OriginalString);
        Assert.Equal("running", task.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("sleep", readBack.GetProperty("kind").GetString());
        Assert.Equal(30, readBack.GetProperty("seconds").GetDouble());
    }

    [Fact]
    public async Task Prefer_wait_answers_200_with_the_finished_task()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var response = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":20000}""", prefer: "wait=10");
        var task = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("succeeded", task.GetProperty("status").GetString());
        Assert.Equal(100, task.GetProperty("progress").GetInt32());
        Assert.Equal(64, task.GetProperty("result").GetString()!.Length);
    }

    [Fact]
    public async Task A_wait_on_a_task_whose_session_is_deleted_meanwhile_answers_401_not_a_stale_running_task()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        var waiting = api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":60}""", prefer: "wait=30");
        await Deadline.PollAsync(
            async () =>
            {
                using var read = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}", token);
                return (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("activeTasks").GetInt32();
            },
            active => active == 1);
        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/sessions/{id}", token);
        using var answer = await waiting.WaitAsync(Deadline.Default);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Theory]
    [InlineData("wait=100000")]
    [InlineData("wait=99999999999999999999")]
    [InlineData("respond-async, WAIT=2147483648")]
    [InlineData("wait=\"100000\"")]
    [InlineData("wait=100000; note=1")]
    public async Task A_wait_preference_over_the_cap_is_cut_to_five_minutes(string prefer)
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var response = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":1000}""", prefer: prefer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("wait=300", response.Headers.GetValues("Preference-Applied").Single());
    }

    [Theory]
    [InlineData("""{"kind":"sleep"}""", "seconds")]
    [InlineData("""{"kind":"sleep","seconds":0}""", "seconds")]
    [InlineData("""{"kind":"sleep","seconds":1e-8}""", "seconds")]
    [InlineData("""{"kind":"sleep","seconds":3601}""", "seconds")]
    [InlineData("""{"kind":"sleep","seconds":"5"}""", "seconds")]
    [InlineData("""{"kind":"sleep","seconds":5,"extra":1}""", "extra")]
    [InlineData("""{"kind":"dance"}""", "kind")]
    [InlineData("""{"seconds":5}""", "kind")]
    [InlineData("""{"kind":"cpu","work":1.5}""", "work")]
    [InlineData("""{"kind":"cpu","work":"7"}""", "work")]
    [InlineData("""[1,2]""", "$")]
    [InlineData("""{"kind":""", "$")]
    [InlineData("""{"kind":"sleep","seconds":1,"note":"\ud800"}""", "$")]
    [InlineData("""{"kind\udc00":"sleep"}""", "$")]
    public async Task A_bad_task_request_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var response = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Tasks_are_listed_newest_first_in_pages_and_a_limit_over_100_is_cut()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        for (var i = 0; i < 3; i++)
        {
            using var started = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":60}""");
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        using var second = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks?offset=1&limit=1", token);
        using var wide = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks?limit=1000", token);
        using var past = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks?offset=99999999999&limit=2147483648", token);
        var page = await second.Content.ReadFromJsonAsync<JsonElement>();
        var all = await wide.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal("2", Assert.Single(page.GetProperty("tasks").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(100, all.GetProperty("limit").GetInt32());
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        Assert.Empty((await past.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tasks").EnumerateArray());
        Assert.Equal(["3", "2", "1"], all.GetProperty("tasks").EnumerateArray().Select(task => task.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=2.5", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=1e3", "offset")]
    public async Task A_paging_value_that_is_not_a_whole_number_in_range_is_a_400_problem_naming_it(string query, string field)
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var response = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks?{query}", token);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_seventeenth_active_task_gets_429_with_retry_after_over_http_and_on_the_socket()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        for (var i = 0; i < 16; i++)
        {
            using var accepted = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":600}""");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":600}""");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        using var socket = await ProtocolClient.ConnectAsync(fixture.Host, id, token);
        await socket.ReceiveAsync();
        await socket.SendAsync(new { type = "task.start", kind = "sleep", seconds = 600, @ref = 1 });
        var error = await socket.ReceiveAsync();
        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/sessions/{id}", token);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.Equal("too_many_active_tasks", error.GetProperty("code").GetString());
        Assert.Equal(1, error.GetProperty("retryAfter").GetInt32());
        Assert.Equal(problem.GetProperty("detail").GetString(), error.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_task_records_it_and_a_second_cancel_is_a_conflict()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var started = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":600}""");
        var location = started.Headers.Location!.OriginalString;

        using var cancelled = await api.SendAsync(HttpMethod.Delete, location, token);
        using var again = await api.SendAsync(HttpMethod.Delete, location, token);
        using var unknown = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks/999", token);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_deleted_session_is_gone()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/sessions/{id}", token);
        using var read = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}", token);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_session_and_task_endpoints()
    {
        using var http = fixture.Host.CreateHttpClient();

        var document = await http.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/sessions", out _));
        Assert.True(paths.TryGetProperty("/sessions/{id}/tasks", out _));
        Assert.True(paths.TryGetProperty("/sessions/{id}/tasks/{taskId}", out _));
    }
}
