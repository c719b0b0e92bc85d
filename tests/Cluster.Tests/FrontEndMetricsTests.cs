using System.Net;
using System.Net.WebSockets;

namespace Cluster.Tests;

/// <summary>The front end's instruments, read from <c>/metrics</c> the way Prometheus would, as traffic flows.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class FrontEndMetricsTests(RunningClusterFixture fixture)
{
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    [Fact]
    public async Task Each_front_end_instrument_moves_with_traffic()
    {
        var frontEnd = fixture.Cluster.FrontEnds[0].Address;
        using var http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(20) };
        var before = await PrometheusScrape.ReadAsync(http, Metrics);

        using var socket = await EchoSocket.ConnectAsync(frontEnd);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await socket.EchoOnceAsync());
        }

        using var refused = await http.GetAsync(new Uri("/sessions/not-an-id", UriKind.Relative));
        var whileOpen = await PrometheusScrape.ReadAsync(http, Metrics);
        await socket.CloseAsync();
        var afterClose = await Deadline.PollAsync(
            () => PrometheusScrape.ReadAsync(http, Metrics),
            read => read.Sum("sessions_sockets_open", "socket_protocol=\"echo\"") < whileOpen.Sum("sessions_sockets_open", "socket_protocol=\"echo\""));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(5, Moved(before, whileOpen, "sessions_echo_messages_total"));
        Assert.Equal(5, Moved(before, whileOpen, "sessions_echo_duration_seconds_count"));
        Assert.Equal(1, Moved(before, whileOpen, "sessions_sockets_open", "socket_protocol=\"echo\""));
        Assert.Equal(-1, Moved(whileOpen, afterClose, "sessions_sockets_open", "socket_protocol=\"echo\""));
        Assert.Equal(1, Moved(before, whileOpen, "sessions_requests_rejected_total", "reason=\"bad_request\""));
        Assert.NotNull(whileOpen.Sum("http_server_request_duration_seconds_count"));
        Assert.NotNull(whileOpen.Sum("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task A_socket_closed_for_a_policy_counts_as_rejected_with_its_reason()
    {
        var frontEnd = fixture.Cluster.FrontEnds[1].Address;
        using var http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(20) };
        var before = await PrometheusScrape.ReadAsync(http, Metrics);
        using var socket = await EchoSocket.ConnectAsync(frontEnd);

        await socket.SendBinaryAsync([1, 2, 3]);
        var closedWith = await socket.ReceiveCloseAsync(TimeSpan.FromSeconds(20));
        var after = await Deadline.PollAsync(
            () => PrometheusScrape.ReadAsync(http, Metrics),
            read => Moved(before, read, "sessions_requests_rejected_total", "reason=\"binary_message\"") >= 1);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, closedWith);
        Assert.Equal(1, Moved(before, after, "sessions_requests_rejected_total", "reason=\"binary_message\""));
    }

    private static double Moved(PrometheusScrape before, PrometheusScrape after, string name, params string[] labels) =>
        (after.Sum(name, labels) ?? 0) - (before.Sum(name, labels) ?? 0);
}
