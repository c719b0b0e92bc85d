using System.Diagnostics;
using System.Net;
using OpenTelemetry.Trace;

namespace Api.Tests;

[Collection(CoHostedCollection.Name)]
public sealed class ObservabilityTests(CoHostedApiFixture fixture)
{
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    [Fact]
    public async Task Metrics_expose_each_instrument_of_the_service_and_they_move_with_traffic()
    {
        using var http = fixture.Host.CreateHttpClient();
        using var api = new SessionApiClient(fixture.Host);
        var before = await PrometheusScrape.ReadAsync(http, Metrics);

        using var socket = await SocketClient.ConnectAsync(new Uri(fixture.Host.SocketAddress, "/ws"));
        for (var i = 0; i < 5; i++)
        {
            await socket.SendTextAsync("count me");
            await socket.ReceiveTextAsync();
        }

        var (id, token, _) = await api.CreateSessionAsync();
        using var task = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"cpu","work":1000}""", prefer: "wait=10");
        using var refused = await api.SendAsync(HttpMethod.Get, "/sessions/not-an-id", token);
        var during = await PrometheusScrape.ReadAsync(http, Metrics);

        Assert.Equal(HttpStatusCode.OK, task.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(Moved(before, during, "sessions_echo_messages_total") >= 5);
        Assert.True(Moved(before, during, "sessions_echo_duration_seconds_count") >= 5);
        Assert.True(during.Sum("sessions_sockets_open", "socket_protocol=\"echo\"") >= 1);
        // Gauges only exist here: every test host in this process feeds the same instrument names
        // (Cluster.Tests checks their values on separate processes).
        Assert.NotNull(during.Sum("sessions_active"));
        Assert.True(Moved(before, during, "sessions_tasks_started_total", "task_kind=\"cpu\"") >= 1);
        Assert.True(Moved(before, during, "sessions_tasks_finished_total", "task_kind=\"cpu\"", "task_outcome=\"succeeded\"") >= 1);
        Assert.True(Moved(before, during, "sessions_task_duration_seconds_count", "task_kind=\"cpu\"") >= 1);
        Assert.True(Moved(before, during, "sessions_requests_rejected_total", "reason=\"bad_request\"") >= 1);
        Assert.NotNull(during.Sum("sessions_cpu_queue_length"));
        Assert.NotNull(during.Sum("http_server_request_duration_seconds_count"));
        Assert.NotNull(during.Sum("orleans_app_requests_latency_milliseconds_count"));
        Assert.NotNull(during.Sum("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task The_open_socket_gauge_falls_when_a_socket_closes()
    {
        using var http = fixture.Host.CreateHttpClient();
        var socket = await SocketClient.ConnectAsync(new Uri(fixture.Host.SocketAddress, "/ws"));
        await socket.SendTextAsync("hi");
        await socket.ReceiveTextAsync();
        var open = (await PrometheusScrape.ReadAsync(http, Metrics)).Sum("sessions_sockets_open", "socket_protocol=\"echo\"");

        await socket.Socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, Deadline.Token());
        socket.Dispose();
        var after = await Deadline.PollAsync(
            async () => (await PrometheusScrape.ReadAsync(http, Metrics)).Sum("sessions_sockets_open", "socket_protocol=\"echo\""),
            value => value < open);

        Assert.True(after < open, $"open sockets {open} then {after}");
    }

    [Fact]
    public async Task Liveness_and_readiness_are_healthy_when_the_cluster_is()
    {
        using var http = fixture.Host.CreateHttpClient();

        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_is_traced_from_the_front_end_into_the_session_grain_with_the_session_id_and_never_the_token()
    {
        var exported = new LockedCollection<Activity>();
        await using var host = ApiHost.Start(
            ApiHost.CoHostedSettings(),
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        using var api = new SessionApiClient(host);
        var (id, token, _) = await api.CreateSessionAsync();

        using var started = await api.SendAsync(HttpMethod.Post, $"/sessions/{id}/tasks", token, """{"kind":"sleep","seconds":0.1}""");
        var request = await Deadline.PollAsync(
            () => Task.FromResult(exported.Snapshot().FirstOrDefault(a => a.Kind == ActivityKind.Server && a.DisplayName.Contains("/tasks", StringComparison.Ordinal))),
            found => found is not null);
        var grainSpans = await Deadline.PollAsync(
            () => Task.FromResult(exported.Snapshot().Where(a => a.TraceId == request!.TraceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList()),
            spans => spans.Exists(span => span.DisplayName.Contains("StartTask", StringComparison.Ordinal) && span.GetTagItem("session.id") is not null));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var grainCall = grainSpans.First(span => span.DisplayName.Contains("StartTask", StringComparison.Ordinal) && span.GetTagItem("session.id") is not null);
        Assert.Equal(id, grainCall.GetTagItem("session.id"));
        Assert.DoesNotContain(exported.Snapshot(), activity => activity.Tags.Any(tag => tag.Value?.Contains(token, StringComparison.Ordinal) == true));
    }

    private static double Moved(PrometheusScrape before, PrometheusScrape after, string name, params string[] labels) =>
        (after.Sum(name, labels) ?? 0) - (before.Sum(name, labels) ?? 0);
}
