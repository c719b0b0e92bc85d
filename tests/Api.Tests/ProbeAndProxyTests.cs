using System.Net;

namespace Api.Tests;

/// <summary>Orchestrator probes reach health whatever the Host; a proxy's forwarded headers count only when it is configured.</summary>
public sealed class ProbeAndProxyTests
{
    private static readonly Uri Ready = new("/health/ready", UriKind.Relative);
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    [Fact]
    public async Task Health_answers_a_probe_addressed_to_the_pod_IP_while_other_paths_keep_the_host_filter()
    {
        await using var host = ApiHost.Start(ApiHost.CoHostedSettings());
        using var http = host.CreateHttpClient();

        using var ready = await SendAsync(http, Ready, request => request.Headers.Host = "10.244.1.17");
        using var live = await SendAsync(http, new Uri("/health/live", UriKind.Relative), request => request.Headers.Host = "10.244.1.17:8080");
        using var metrics = await SendAsync(http, Metrics, request => request.Headers.Host = "10.244.1.17");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, metrics.StatusCode);
    }

    [Fact]
    public async Task A_known_proxy_forwards_the_client_address_that_the_allowed_networks_see()
    {
        var settings = OperatorsOn10Network();
        settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();

        using var inside = await SendAsync(http, Metrics, request => request.Headers.Add("X-Forwarded-For", "10.1.2.3"));
        using var outside = await SendAsync(http, Metrics, request => request.Headers.Add("X-Forwarded-For", "192.0.2.7"));

        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
    }

    [Fact]
    public async Task A_known_network_of_proxies_counts_like_a_known_proxy()
    {
        var settings = OperatorsOn10Network();
        settings["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();

        using var inside = await SendAsync(http, Metrics, request => request.Headers.Add("X-Forwarded-For", "10.1.2.3"));

        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
    }

    [Fact]
    public async Task Without_configured_proxies_a_client_cannot_pose_as_another_address()
    {
        await using var host = ApiHost.Start(OperatorsOn10Network());
        using var http = host.CreateHttpClient();

        using var posing = await SendAsync(http, Metrics, request => request.Headers.Add("X-Forwarded-For", "10.1.2.3"));

        Assert.Equal(HttpStatusCode.Forbidden, posing.StatusCode);
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_client_address_has_its_own_rate_limit()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        settings["RateLimiting:PermitsPerSecond"] = "1";
        settings["RateLimiting:Burst"] = "2";
        await using var host = ApiHost.Start(settings);
        using var http = host.CreateHttpClient();
        // A malformed session id is answered at once, so the bucket has no time to refill between requests.
        var cheap = new Uri("/sessions/not-an-id", UriKind.Relative);

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendAsync(http, cheap, request => request.Headers.Add("X-Forwarded-For", "203.0.113.1"));
            first.Add(response.StatusCode);
        }

        using var second = await SendAsync(http, cheap, request => request.Headers.Add("X-Forwarded-For", "203.0.113.2"));

        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    private static Dictionary<string, string?> OperatorsOn10Network()
    {
        var settings = ApiHost.CoHostedSettings();
        settings["Dashboard:AllowedNetworks:0"] = "10.0.0.0/8";
        return settings;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri path, Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        shape(request);
        return await http.SendAsync(request);
    }
}
