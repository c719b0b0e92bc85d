using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;

namespace Api.Tests;

public sealed class OperatorAccessTests
{
    private static readonly Uri Dashboard = new("/dashboard/", UriKind.Relative);
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);
    private static readonly Uri Ready = new("/health/ready", UriKind.Relative);

    // Tests reach the service only over loopback, so "another network" is simulated by allowing a network
    // the test client is not in.
    private static ApiHost StartWithLoopbackOutside(string? password = null)
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Dashboard:AllowedNetworks:0"] = "10.0.0.0/8";
        if (password is not null)
        {
            settings["Dashboard:Username"] = "ops";
            settings["Dashboard:Password"] = password;
        }

        return ApiHost.Start(settings);
    }

    [Fact]
    public async Task From_outside_the_allowed_networks_the_dashboard_and_metrics_are_forbidden_and_health_is_open()
    {
        await using var host = StartWithLoopbackOutside();
        using var http = host.CreateHttpClient();

        using var dashboard = await http.GetAsync(Dashboard);
        using var metrics = await http.GetAsync(Metrics);
        using var ready = await http.GetAsync(Ready);

        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        Assert.Equal("application/problem+json", metrics.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task With_credentials_configured_outsiders_get_401_and_the_right_ones_get_in()
    {
        await using var host = StartWithLoopbackOutside(password: "s3cret-enough");
        using var http = host.CreateHttpClient();

        using var anonymous = await http.GetAsync(Metrics);
        using var wrong = await SendAsync(http, "ops:guess");
        using var right = await SendAsync(http, "ops:s3cret-enough");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task By_default_the_machine_itself_gets_in()
    {
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings());
        using var http = host.CreateHttpClient();

        using var dashboard = await http.GetAsync(Dashboard);
        using var metrics = await http.GetAsync(Metrics);

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Metrics);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http.SendAsync(request);
    }

    [Fact]
    public async Task A_host_name_outside_AllowedHosts_gets_400_so_a_page_rebound_to_loopback_reads_nothing_and_opens_no_socket()
    {
        // No override: appsettings.json allows the loopback names only.
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings());
        using var http = host.CreateHttpClient();
        var rebound = $"rebound.example:{host.BaseAddress.Port}";

        using var metrics = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Metrics) { Headers = { Host = rebound } });
        using var dashboard = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Dashboard) { Headers = { Host = rebound } });
        using var byLoopbackName = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Metrics) { Headers = { Host = $"localhost:{host.BaseAddress.Port}" } });
        var socket = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(new Uri(host.SocketAddress, "/ws"), origin: $"http://{rebound}", hostHeader: rebound));

        Assert.Equal(HttpStatusCode.BadRequest, metrics.StatusCode);
        Assert.Equal("application/problem+json", metrics.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byLoopbackName.StatusCode);
        Assert.Contains("400", socket.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowedHosts_takes_the_names_a_deployment_answers_to()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["AllowedHosts"] = "*.sessions.example";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();

        using var listed = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, Metrics) { Headers = { Host = "eu.sessions.example" } });
        using var loopback = await http.GetAsync(Metrics);
        using var socket = await SocketClient.ConnectAsync(new Uri(host.SocketAddress, "/ws"), origin: "https://eu.sessions.example", hostHeader: "eu.sessions.example");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, loopback.StatusCode);
        Assert.Equal("application/problem+json", loopback.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WebSocketState.Open, socket.Socket.State);
    }
}
