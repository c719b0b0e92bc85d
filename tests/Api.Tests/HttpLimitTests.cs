using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Api.Tests;

public sealed class HttpLimitTests
{
    private static readonly Uri OpenApi = new("/openapi/v1.json", UriKind.Relative);

    [Fact]
    public async Task An_address_over_its_burst_gets_429_with_Retry_After_and_health_stays_open()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["RateLimiting:Burst"] = "5";
        settings["RateLimiting:PermitsPerSecond"] = "1";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await http.GetAsync(OpenApi);
            statuses.Add(response.StatusCode);
        }

        using var limited = await http.GetAsync(OpenApi);
        using var upgrade = await http.GetAsync(new Uri("/ws", UriKind.Relative));
        using var health = await http.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.All(statuses.Take(5), status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, upgrade.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_refilled_bucket_lets_the_address_in_again()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["RateLimiting:Burst"] = "2";
        settings["RateLimiting:PermitsPerSecond"] = "2";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();

        HttpStatusCode last;
        var attempts = 0;
        do
        {
            using var response = await http.GetAsync(OpenApi);
            last = response.StatusCode;
        }
        while (last != HttpStatusCode.TooManyRequests && ++attempts < 50);

        // The bucket refills once a second (ASP.NET Core's limiter runs on its own timer): asked again until it has.
        var again = await Deadline.PollAsync(
            async () =>
            {
                using var response = await http.GetAsync(OpenApi);
                return response.StatusCode;
            },
            status => status != HttpStatusCode.TooManyRequests,
            within: TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.Equal(HttpStatusCode.OK, again);
    }

    [Fact]
    public async Task A_request_past_its_timeout_gets_504_problem_details_and_sockets_are_not_cut()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Http:RequestTimeout"] = "00:00:01";
        settings["Http:WaitingRequestTimeout"] = "00:00:02";
        await using var host = ApiHost.Start(settings);
        using var api = new SessionApiClient(host);
        var (id, token, created) = await api.CreateSessionAsync();
        created.Dispose();
        using var socket = await SocketClient.ConnectAsync(new Uri(host.SocketAddress, "/ws"));

        var clock = Stopwatch.StartNew();
        using var waited = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":30}""", prefer: "wait=20");
        var answeredAfter = clock.Elapsed;
        using var task = await api.SendAsync(HttpMethod.Get, $"/sessions/{id}/tasks/1", token);
        await socket.SendTextAsync("still here");

        Assert.Equal(HttpStatusCode.GatewayTimeout, waited.StatusCode);
        Assert.Equal("application/problem+json", waited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(answeredAfter, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        Assert.Equal("running", (await task.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1.5), "the socket outlived both timeouts");
        Assert.Equal("Echo: still here", await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task Request_lines_and_headers_over_their_configured_limits_get_414_and_431()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Http:MaxRequestLineBytes"] = "1024";
        settings["Http:MaxRequestHeadersBytes"] = "4096";
        settings["Http:MaxRequestHeaderCount"] = "20";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();

        using var longLine = await http.GetAsync(new Uri($"/health/live?pad={new string('a', 2000)}", UriKind.Relative));
        using var shortLine = await http.GetAsync(new Uri($"/health/live?pad={new string('a', 500)}", UriKind.Relative));
        using var bigHeader = await http.SendAsync(WithHeaders(("X-Pad", new string('a', 6000))));
        using var smallHeader = await http.SendAsync(WithHeaders(("X-Pad", new string('a', 2000))));
        using var manyHeaders = await http.SendAsync(WithHeaders([.. Enumerable.Range(0, 30).Select(i => ($"X-Pad-{i}", "a"))]));

        // Kestrel's defaults (8 KiB line, 32 KiB headers, 100 headers) would let every one of these through.
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longLine.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shortLine.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, smallHeader.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, manyHeaders.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_wrong_methods_and_bodies_that_are_not_json_get_problem_details_saying_what_to_do_whatever_the_client_accepts()
    {
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings());
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var http = host.CreateHttpClient();

        // A browser asks for HTML; errors are problem details all the same.
        using var unknown = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/no-such-path", UriKind.Relative)) { Headers = { { "Accept", "text/html" } } });
        using var wrongMethod = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri("/process", UriKind.Relative)) { Headers = { { "Accept", "application/xml" } } });
        using var plainText = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{id}/tasks", UriKind.Relative))
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = new StringContent("""{"kind":"sleep","seconds":1}""", System.Text.Encoding.UTF8, "text/plain"),
        });

        using var noContentType = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{id}/tasks", UriKind.Relative))
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = new ByteArrayContent("""{"kind":"sleep","seconds":1}"""u8.ToArray()),
        });
        using var latin1 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{id}/tasks", UriKind.Relative))
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = new StringContent("""{"kind":"sleep","seconds":1}""", System.Text.Encoding.Latin1, "application/json"),
        });

        var quotedUtf8Body = new StringContent("""{"kind":"sleep","seconds":1}""", Encoding.UTF8);
        quotedUtf8Body.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=\"utf-8\"");
        using var quotedUtf8 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{id}/tasks", UriKind.Relative))
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = quotedUtf8Body,
        });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("/openapi/v1.json", await DetailOf(unknown));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("GET", Assert.Single(wrongMethod.Content.Headers.Allow));
        Assert.Equal("/process takes GET.", await DetailOf(wrongMethod));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plainText.StatusCode);
        Assert.Contains("application/json", await DetailOf(plainText));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, noContentType.StatusCode);
        Assert.Contains("application/json", await DetailOf(noContentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, latin1.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, quotedUtf8.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_saying_the_limit_and_is_not_logged_as_a_server_error()
    {
        var logs = new CapturedLogs();
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings(), services => services.AddSingleton<ILoggerProvider>(logs));
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();
        using var http = host.CreateHttpClient();
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"kind":"sleep","seconds":1,"padding":"{{new string('x', 2 * 1024 * 1024)}}"}""")));
        body.Headers.ContentType = new("application/json");

        // No Content-Length: the body is sent chunked, so only reading it finds it too large.
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{id}/tasks", UriKind.Relative))
        {
            Headers = { Authorization = new("Bearer", token), TransferEncodingChunked = true },
            Content = body,
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1048576", await DetailOf(response));
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Error);
    }

    private static HttpRequestMessage WithHeaders(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health/live", UriKind.Relative));
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    private static async Task<string?> DetailOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
    }
}
