using System.Diagnostics;

namespace LoadGenerator;

/// <summary>C concurrent <c>GET /process</c> calls, all started at once, each on its own connection.</summary>
internal static class ProcessScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = options.RequestTimeout,
        };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
        var latencies = new Latencies();
        var errors = new ErrorTally();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            await start.Task;
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(options.RequestTimeout);
            try
            {
                using var response = await http.GetAsync(new Uri("/process", UriKind.Relative), timeout.Token);
                var body = await response.Content.ReadAsStringAsync(timeout.Token);

                // FastAPI and the service answer {"status":"Done!"}; the seed's Flask app answers Done!.
                if (response.IsSuccessStatusCode && body.Contains("Done!", StringComparison.Ordinal))
                {
                    latencies.Add(clock.Elapsed);
                }
                else
                {
                    errors.Add($"HTTP {(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                errors.Add(exception);
            }
        }).ToList();

        var total = Stopwatch.StartNew();
        await using (new Progress("process", () => $"{latencies.Count} done, {errors.Total} errors of {options.Concurrency}"))
        {
            start.SetResult();
            await Task.WhenAll(calls);
        }

        var seconds = total.Elapsed.TotalSeconds;
        var figures = new Dictionary<string, double>
        {
            ["ok"] = latencies.Count,
            ["throughput_per_s"] = latencies.Count / seconds,
        };
        foreach (var (name, value) in latencies.Percentiles("latency"))
        {
            figures[name] = value;
        }

        return new Measurement(options.Target, "process", options.Concurrency, seconds, figures, errors.Snapshot());
    }
}
