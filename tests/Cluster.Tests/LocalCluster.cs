using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ClusterHosting;

namespace Cluster.Tests;

/// <summary>
/// A cluster of real processes on one machine: a private Redis-compatible server (<see cref="RedisServer"/>) on a free loopback port, silos and
/// front ends started from the built binaries, and an Orleans client for the tests to look inside.
/// Everything is stopped by PID when the cluster is disposed.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> _processes = [];
    private readonly Stopwatch _sinceCreated = Stopwatch.StartNew();
    private readonly ConcurrentQueue<string> _timeline = new();
    private readonly Dictionary<string, string> _settings;
    private IHost? _client;

    private LocalCluster(int redisPort, IReadOnlyDictionary<string, string> settings)
    {
        RedisPort = redisPort;
        _settings = new Dictionary<string, string>(settings)
        {
            ["Cluster__Provider"] = "Redis",
            ["Cluster__ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Redis__ConnectionString"] = $"127.0.0.1:{redisPort}",
            ["DOTNET_NOLOGO"] = "1",
        };
    }

    public int RedisPort { get; }

    /// <summary>The private redis-server, for tests that pause it.</summary>
    public ChildProcess Redis => _processes[0];

    public List<(ChildProcess Process, int SiloPort, int GatewayPort, Uri Http)> Silos { get; } = [];

    public List<(ChildProcess Process, Uri Address)> FrontEnds { get; } = [];

    /// <summary>Starts Redis, then <paramref name="silos"/> silos, then <paramref name="frontEnds"/> front ends.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int frontEnds, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new LocalCluster(LoopbackPort.Free(), settings ?? new Dictionary<string, string>());
        try
        {
            await cluster.StartRedisAsync();
            await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => cluster.StartSiloAsync()));

            // Front ends only once membership lists every silo: a front end reads the gateway list when it starts (and
            // again every 2 s), and one that knows a single gateway places every new session on that silo.
            await cluster.WaitForActiveSilosAsync(silos);
            await Task.WhenAll(Enumerable.Range(0, frontEnds).Select(_ => cluster.StartFrontEndAsync()));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async Task<(ChildProcess Process, int SiloPort, int GatewayPort, Uri Http)> StartSiloAsync()
    {
        var (siloPort, gatewayPort, httpPort) = (LoopbackPort.Free(), LoopbackPort.Free(), LoopbackPort.Free());
        var silo = Start($"silo-{siloPort}", Built.SiloDirectory, "Silo.dll", new()
        {
            ["Cluster__SiloPort"] = Text(siloPort),
            ["Cluster__GatewayPort"] = Text(gatewayPort),
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
        });
        await silo.WaitForPortAsync(gatewayPort, StartTimeout);
        Mark($"silo {siloPort} listening");
        var entry = (silo, siloPort, gatewayPort, new Uri($"http://127.0.0.1:{httpPort}"));
        lock (Silos)
        {
            Silos.Add(entry);
        }

        return entry;
    }

    /// <summary>
    /// Starts a front end; a <paramref name="port"/> lets a test start one where a killed one was, for its clients to find,
    /// and <paramref name="settings"/> give a test's own front end settings the cluster's others do not have.
    /// </summary>
    public async Task<(ChildProcess Process, Uri Address)> StartFrontEndAsync(int? port = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        port ??= LoopbackPort.Free();
        var own = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Cluster__Topology"] = "Client",
            ["Urls"] = $"http://127.0.0.1:{port}",
        };
        var frontEnd = Start($"api-{port}", Built.ApiDirectory, "Api.dll", own);
        await frontEnd.WaitForPortAsync(port.Value, StartTimeout);
        Mark($"front end {port} listening");
        var entry = (frontEnd, new Uri($"http://127.0.0.1:{port}"));
        lock (FrontEnds)
        {
            FrontEnds.Add(entry);
        }

        return entry;
    }

    /// <summary>An Orleans client of this cluster, for management queries.</summary>
    public async Task<IClusterClient> ClientAsync()
    {
        if (_client is null)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(_settings.ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value));
            var cluster = ClusterHostingOptions.Read(builder.Configuration);
            builder.UseOrleansClient(client => client.UseConfiguredClustering(cluster));
            _client = builder.Build();
            await _client.StartAsync().WaitAsync(StartTimeout);
        }

        return _client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Waits until membership lists exactly <paramref name="count"/> active silos.</summary>
    public async Task WaitForActiveSilosAsync(int count)
    {
        var management = (await ClientAsync()).GetGrain<IManagementGrain>(0);
        var until = DateTime.UtcNow + StartTimeout;
        while (await ActiveSilosAsync(management) != count)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The cluster did not reach {count} active silos:{Environment.NewLine}{Diagnostics()}");
            }

            await Task.Delay(200);
        }

        Mark($"{count} active silos");
    }

    /// <summary>The silo (by its silo port) hosting each active session, from the cluster's own statistics.</summary>
    public async Task<Dictionary<string, int>> SessionPlacementAsync()
    {
        var management = (await ClientAsync()).GetGrain<IManagementGrain>(0);
        var statistics = await management.GetDetailedGrainStatistics();
        return statistics
            .Where(stat => stat.GrainId.Type.ToString() == "session")
            .GroupBy(stat => stat.GrainId.Key.ToString()!)
            .ToDictionary(group => group.Key, group => group.First().SiloAddress.Endpoint.Port);
    }

    /// <summary>When each process started listening and the cluster reached its size, in seconds since the cluster was created.</summary>
    public string Timeline => string.Join("; ", _timeline);

    /// <summary>Adds a step to <see cref="Timeline"/>.</summary>
    public void Mark(string step) => _timeline.Enqueue($"{_sinceCreated.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s {step}");

    /// <summary>
    /// Stops a process a test started on a shared cluster, by its PID: SIGTERM, so it closes its sockets and leaves
    /// nothing registered for the next test, then SIGKILL if it has not exited in time.
    /// </summary>
    public static async Task StopAsync(ChildProcess process)
    {
        await process.TerminateAsync();
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(35)))
        {
            process.KillHard();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The addresses of the front ends still running.</summary>
    public IReadOnlyList<Uri> RunningFrontEnds()
    {
        lock (FrontEnds)
        {
            return [.. FrontEnds.Where(frontEnd => !frontEnd.Process.HasExited).Select(frontEnd => frontEnd.Address)];
        }
    }

    /// <summary>The HTTP (metrics and health) addresses of the silos still running.</summary>
    public IReadOnlyList<Uri> RunningSiloHttp()
    {
        lock (Silos)
        {
            return [.. Silos.Where(silo => !silo.Process.HasExited).Select(silo => silo.Http)];
        }
    }

    public string Diagnostics() => $"timeline: {Timeline}{Environment.NewLine}" + string.Join(
        Environment.NewLine,
        _processes.Select(process => $"--- {process.Name} (pid {process.Pid}, exited: {process.HasExited}) ---{Environment.NewLine}{process.Output}"));

    /// <summary>
    /// Stops this cluster's Orleans client; <see cref="ClientAsync"/> starts a new one, which reads the gateway list
    /// afresh: for a test that killed a silo and leaves the cluster to the next test as a cluster without it.
    /// </summary>
    public async Task ForgetClientAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is TimeoutException or OrleansException or OperationCanceledException)
            {
                // The cluster may already be gone; the client is disposed below either way.
            }

            _client.Dispose();
            _client = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ForgetClientAsync();

        // Front ends and silos first, Redis last, each by its PID.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>
    /// Active silos as membership lists them, or null if the question went unanswered: a call sent over the connection to a
    /// gateway that has just been killed would wait out Orleans' 30 s response timeout, so it is asked again instead.
    /// </summary>
    private static async Task<int?> ActiveSilosAsync(IManagementGrain management)
    {
        try
        {
            return (await management.GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5))).Count;
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task StartRedisAsync()
    {
        var redis = RedisServer.Start(RedisPort);
        lock (_processes)
        {
            _processes.Add(redis);
        }

        await redis.WaitForPortAsync(RedisPort, StartTimeout);
        Mark("redis listening");
    }

    private ChildProcess Start(string name, string directory, string dll, Dictionary<string, string> settings)
    {
        foreach (var (key, value) in _settings)
        {
            settings.TryAdd(key, value);
        }

        var process = ChildProcess.Start(name, "dotnet", [dll], directory, settings);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }
}
