using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Grains.Abstractions;
using Microsoft.AspNetCore.Mvc;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class ProcessEndpointTests(CoHostedApiFixture fixture)
{
    private static readonly Uri Process = new("/process", UriKind.Relative);

    [Fact]
    public async Task Process_returns_done_after_the_configured_wait_in_a_new_session()
    {
        using var http = fixture.Host.CreateHttpClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync(Process);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"status\":\"Done!\"}", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(CoHostedApiFixture.ProcessSeconds * 0.95));
        var sessionId = Assert.Single(response.Headers.GetValues("X-Session-Id"));
        Assert.True(SessionId.TryParse(sessionId, out _));
    }

    [Fact]
    public async Task Process_with_a_session_header_runs_in_that_session()
    {
        using var http = fixture.Host.CreateHttpClient();
        using var first = await http.GetAsync(Process);
        var sessionId = first.Headers.GetValues("X-Session-Id").Single();

        using var request = new HttpRequestMessage(HttpMethod.Get, Process);
        request.Headers.Add("X-Session-Id", sessionId);
        using var second = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(sessionId, second.Headers.GetValues("X-Session-Id").Single());
        var session = await fixture.Host.ReadSessionAsync(sessionId);
        Assert.Equal(2, session!.FinishedTasks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-session")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA=")]
    public async Task Process_with_a_malformed_session_header_is_a_400_problem(string header)
    {
        using var http = fixture.Host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Process);
        request.Headers.Add("X-Session-Id", header);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("Malformed session id", problem!.Title);
    }

    [Fact]
    public async Task Process_with_an_unknown_session_is_a_401_problem_and_creates_nothing()
    {
        using var http = fixture.Host.CreateHttpClient();
        var unknown = SessionId.New().Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, Process);
        request.Headers.Add("X-Session-Id", unknown);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(await fixture.Host.ReadSessionAsync(unknown));
    }

    [Fact]
    public async Task Fifty_concurrent_process_calls_overlap_instead_of_queueing()
    {
        const int Calls = 50;
        using var http = fixture.Host.CreateHttpClient();
        var clock = Stopwatch.StartNew();

        var responses = await Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => http.GetAsync(Process)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        // In sequence these would take Calls × 2 s = 100 s; a quarter of that allows for a slow machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(Calls * CoHostedApiFixture.ProcessSeconds / 4), $"took {clock.Elapsed}");
        Assert.Equal(Calls, responses.Select(response => response.Headers.GetValues("X-Session-Id").Single()).Distinct().Count());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Process_on_a_session_with_a_resume_token_requires_it()
    {
        using var api = new SessionApiClient(fixture.Host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var http = fixture.Host.CreateHttpClient();

        using var withoutToken = new HttpRequestMessage(HttpMethod.Get, Process);
        withoutToken.Headers.Add("X-Session-Id", id);
        using var refused = await http.SendAsync(withoutToken);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, Process);
        withToken.Headers.Add("X-Session-Id", id);
        withToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var served = await http.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
