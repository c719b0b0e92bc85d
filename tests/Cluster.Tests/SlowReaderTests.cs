using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Cluster.Tests;

/// <summary>A client that sends and never reads: the server stops waiting for it after WebSockets:SendTimeout.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class SlowReaderTests(RunningClusterFixture fixture)
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_within_the_send_timeout_and_counted()
    {
        // A front end of its own on the shared cluster: the send timeout is its setting alone.
        var (process, frontEnd) = await fixture.Cluster.StartFrontEndAsync(settings: new Dictionary<string, string>
        {
            ["WebSockets__SendTimeout"] = "00:00:03",
        });
        try
        {
            await DropsTheSlowReaderAsync(frontEnd);
        }
        finally
        {
            await LocalCluster.StopAsync(process);
        }
    }

    private static async Task DropsTheSlowReaderAsync(Uri frontEnd)
    {
        using var http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(20) };
        using var socket = new ClientWebSocket();
        using (var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await socket.ConnectAsync(new Uri($"ws://{frontEnd.Authority}/ws"), connecting.Token);
        }

        var message = Encoding.UTF8.GetBytes(new string('x', 32 * 1024));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lastSent = Stopwatch.GetTimestamp();
        var released = false;
        try
        {
            while (true)
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, giveUp.Token);
                lastSent = Stopwatch.GetTimestamp();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException)
        {
            released = true;
        }
        catch (OperationCanceledException)
        {
            // Still held after 30 s: asserted below.
        }

        var heldAfterLastSend = Stopwatch.GetElapsedTime(lastSent);
        var metrics = await Deadline.PollAsync(
            () => PrometheusScrape.ReadAsync(http, new Uri("/metrics", UriKind.Relative)),
            read => read.Sum("sessions_requests_rejected_total", "reason=\"send_timeout\"") >= 1);

        Assert.True(released, "the server never dropped the socket");
        Assert.InRange(heldAfterLastSend, TimeSpan.Zero, SendTimeout + TimeSpan.FromSeconds(5));
        Assert.Equal(1, metrics.Sum("sessions_requests_rejected_total", "reason=\"send_timeout\""));
    }
}
