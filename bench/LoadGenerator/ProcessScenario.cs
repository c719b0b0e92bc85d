using System.Collections.Concurrent;
using System.Diagnostics;

namespace LoadGenerator;

/// <summary>C concurrent <c>GET /process</c> calls, all started at once, each on its own connection.</summary>
internal static class ProcessScenario
{
    public static async Task<ScenarioResult> RunAsync(Uri baseUrl, int concurrentCalls)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
        var latencies = new ConcurrentBag<TimeSpan>();
        var errors = new ConcurrentDictionary<string, int>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, concurrentCalls).Select(async _ =>
        {
            await start.Task;
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync(new Uri("/process", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode && body == "{\"status\":\"Done!\"}")
                {
                    latencies.Add(clock.Elapsed);
                }
                else
                {
                    errors.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                errors.AddOrUpdate(exception.GetType().Name, 1, (_, n) => n + 1);
            }
        }).ToList();

        var total = Stopwatch.StartNew();
        start.SetResult();
        await Task.WhenAll(calls);
        return new ScenarioResult("process", concurrentCalls, total.Elapsed, [.. latencies.Order()], errors);
    }
}
