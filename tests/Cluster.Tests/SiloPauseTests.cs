using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Cluster.Tests;

/// <summary>A silo that hangs (SIGSTOP) past failure detection and comes back (SIGCONT) while sockets talk to its sessions.</summary>
[Collection(DrillCollection.Name)]
public sealed class SiloPauseTests(ITestOutputHelper output)
{
    private const int Sockets = 16;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan MostSilence = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_hung_silo_costs_its_sessions_at_most_15_s_and_after_it_returns_every_task_start_is_stored()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, frontEnds: 1, new Dictionary<string, string>
        {
            ["Sessions__FlushInterval"] = "00:00:01",
        });
        var frontEnd = cluster.FrontEnds[0].Address;
        using var http = new HttpClient { BaseAddress = frontEnd, Timeout = TimeSpan.FromSeconds(60) };
        var sockets = await Task.WhenAll(Enumerable.Range(0, Sockets).Select(_ => SessionSocket.OpenAsync(http, frontEnd)));
        try
        {
            foreach (var socket in sockets)
            {
                Assert.True(await socket.EchoOnceAsync());
            }

            var placement = await cluster.SessionPlacementAsync();
            var victim = cluster.Silos[0];
            var onVictim = sockets.Where(socket => placement[socket.SessionId] == victim.SiloPort).ToList();
            Assert.NotEmpty(onVictim);

            using var stop = new CancellationTokenSource();
            var traffic = sockets.Select(socket => socket.RunAsync(stop.Token)).ToList();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var pausedAt = DateTimeOffset.UtcNow;
            await victim.Process.PauseAsync();
            cluster.Mark("victim paused");
            await Task.Delay(Pause);
            await victim.Process.ResumeAsync();
            cluster.Mark("victim resumed");
            // Declared dead while hung, it stops itself once it learns so, from a peer at once or from its next read of the
            // membership table (up to a minute): reported, not asserted, so the traffic goes on only a while after it returns.
            var stoppedItself = await victim.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(2));
            var trafficStopped = DateTimeOffset.UtcNow;
            await stop.CancelAsync();
            await Task.WhenAll(traffic).WaitAsync(SessionSocket.ReplyTimeout * 2);
            cluster.Mark("traffic stopped");

            var silences = onVictim.Select(socket => socket.LongestSilenceBetween(pausedAt, trafficStopped)).ToList();
            output.WriteLine(
                $"{onVictim.Count} of {Sockets} sessions on the hung silo; longest silence per session (s): "
                + string.Join(", ", silences.Select(s => s.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))
                + $"; echoes sent {sockets.Sum(s => s.Sent)}, answered {sockets.Sum(s => s.Answered)}, 503 {sockets.Sum(s => s.Unavailable)}; resumed silo stopped itself: {stoppedItself}");
            Assert.All(sockets, socket => Assert.Equal(0, socket.Wrong));
            Assert.All(sockets, socket => Assert.Null(socket.ClosedWith));
            Assert.All(sockets, socket => Assert.Equal(socket.Sent, socket.Answered + socket.Unavailable));
            Assert.All(silences, silence => Assert.InRange(silence, TimeSpan.Zero, MostSilence));

            var tasks = await Task.WhenAll(sockets.Select(socket => StartTaskAsync(http, socket)));
            Assert.All(tasks, task => Assert.Equal(HttpStatusCode.Accepted, task.Status));
            cluster.Mark("tasks started");

            // Stored, not only held in memory: a new silo takes over every session from the one that answered.
            await cluster.StartSiloAsync();
            await cluster.WaitForActiveSilosAsync(2);
            cluster.Silos[1].Process.KillHard();
            cluster.Mark("survivor killed");

            // Read once the cluster has declared it dead: a read sent before the front end noticed its gateway was gone
            // waits out Orleans' 30 s response timeout and answers 503, which says nothing about what was stored.
            await cluster.WaitForActiveSilosAsync(1);
            foreach (var (socket, task) in sockets.Zip(tasks))
            {
                Assert.Equal(HttpStatusCode.OK, await ReadTaskAsync(http, socket, task.Id, cluster));
            }

            cluster.Mark("every task read");
            output.WriteLine($"timeline: {cluster.Timeline}");
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics());
            throw;
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Id)> StartTaskAsync(HttpClient http, SessionSocket socket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/sessions/{socket.SessionId}/tasks", UriKind.Relative))
        {
            Content = new StringContent("""{"kind":"sleep","seconds":600}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", socket.Token);
        using var response = await http.SendAsync(request);
        var id = response.StatusCode == HttpStatusCode.Accepted ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()! : "";
        return (response.StatusCode, id);
    }

    /// <summary>The task's status code once the cluster has re-placed the session (503 while it is still failing over).</summary>
    private static async Task<HttpStatusCode> ReadTaskAsync(HttpClient http, SessionSocket socket, string taskId, LocalCluster cluster)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/sessions/{socket.SessionId}/tasks/{taskId}", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", socket.Token);
            var sentAt = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                cluster.Mark($"a read answered {(int)response.StatusCode} after {System.Diagnostics.Stopwatch.GetElapsedTime(sentAt).TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} s");
            }
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > until)
            {
                return response.StatusCode;
            }

            await Task.Delay(500);
        }
    }
}
