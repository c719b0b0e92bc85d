using System.Net;
using Grains.Abstractions;
using Xunit.Abstractions;

namespace Cluster.Tests;

/// <summary>
/// What an operator scrapes and probes on real processes: one silo and one front end, shared by both tests. Either may
/// run first: each uses the newest silo, and the test that kills it starts another.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class OperatorEndpointTests(OperatorEndpointTests.OneSiloCluster fixture, ITestOutputHelper output) : IClassFixture<OperatorEndpointTests.OneSiloCluster>
{
    private static readonly Uri Ready = new("/health/ready", UriKind.Relative);

    [Fact]
    public async Task A_silo_exposes_its_own_metrics_and_readiness()
    {
        var cluster = fixture.Cluster;
        var silo = cluster.Silos[^1];
        using var http = new HttpClient { BaseAddress = silo.Http, Timeout = TimeSpan.FromSeconds(20) };
        var client = await cluster.ClientAsync();
        var session = client.GetGrain<ISessionGrain>(SessionId.New().Value);
        await session.Create();
        await session.StartTask(TaskSpec.Cpu(1000), null);
        var ended = client.GetGrain<ISessionGrain>(SessionId.New().Value);
        await ended.Create();
        await ended.StartTask(TaskSpec.Sleep(TimeSpan.FromMinutes(10)), null);
        await ended.Delete();

        var scrape = await Deadline.PollAsync(
            async () => await PrometheusScrape.ReadAsync(http, new Uri("/metrics", UriKind.Relative)),
            read => read.Sum("sessions_tasks_finished_total") >= 2);
        using var ready = await http.GetAsync(Ready);
        using var rebound = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative)) { Headers = { Host = "rebound.example" } });

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rebound.StatusCode);
        Assert.True(scrape.Sum("sessions_active") >= 1);
        Assert.Equal(1, scrape.Sum("sessions_tasks_started_total", "task_kind=\"cpu\""));
        Assert.Equal(1, scrape.Sum("sessions_tasks_finished_total", "task_outcome=\"cancelled\""));
        Assert.Equal(0, scrape.Sum("sessions_cpu_queue_length"));
        Assert.NotNull(scrape.Sum("orleans_app_requests_latency_milliseconds_count"));
    }

    [Fact]
    public async Task A_front_end_turns_not_ready_when_the_cluster_is_gone_and_ready_when_it_is_back()
    {
        var cluster = fixture.Cluster;
        using var http = new HttpClient { BaseAddress = cluster.FrontEnds[0].Address, Timeout = TimeSpan.FromSeconds(20) };
        using var before = await http.GetAsync(Ready);

        cluster.Silos[^1].Process.KillHard();
        cluster.Mark("silo killed");
        var whileGone = await Deadline.PollAsync(() => StatusAsync(http), status => status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
        cluster.Mark("front end not ready");
        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        await cluster.StartSiloAsync();
        var whenBack = await Deadline.PollAsync(() => StatusAsync(http), status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        cluster.Mark("front end ready");
        output.WriteLine($"timeline: {cluster.Timeline}");

        // Left as found for the other test: one live silo, and a client of the cluster that knows no other.
        await cluster.WaitForActiveSilosAsync(1);
        await cluster.ForgetClientAsync();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileGone);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, whenBack);
    }

    /// <summary>
    /// Redis, one silo and one front end. A silo started after the only one was killed joins once the dead one's heartbeat
    /// is three periods old (no silo is left to vote it out): a 2 s period, not the default 5 s, makes that 6 s, not 15 s.
    /// </summary>
    public sealed class OneSiloCluster : IAsyncLifetime
    {
        internal LocalCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync(silos: 1, frontEnds: 1, new Dictionary<string, string>
        {
            ["Cluster__Membership__HeartbeatPeriod"] = "00:00:02",
        });

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http)
    {
        using var response = await http.GetAsync(Ready);
        return response.StatusCode;
    }
}
