using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LoadGenerator;

/// <summary>
/// <c>--calls</c> anonymous <c>GET /process</c> calls (each creates a session) from C workers on keep-alive
/// connections, with the server's resident memory sampled every <c>--sample-seconds</c>: what steady traffic leaves
/// behind. Writes the samples beside <c>--out</c> as CSV and as a line chart (SVG).
/// </summary>
internal static class SoakScenario
{
    private const int Checkpoint = 20_000;

    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var pid = options.ServerPid ?? throw new ArgumentException("soak needs --server-pid to sample memory.");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = options.Url, Timeout = options.RequestTimeout };
        var errors = new ErrorTally();
        var samples = new List<(double Seconds, long Calls, double Mib)>();
        long started = 0, done = 0;
        double? atCheckpoint = null;

        var clock = Stopwatch.StartNew();
        samples.Add((0, 0, Mib(pid)));
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(pid, options.SampleInterval, clock, () => Interlocked.Read(ref done), samples, sampling.Token);

        await using (new Progress("soak", () => $"{Interlocked.Read(ref done)} of {options.Calls} calls, {errors.Total} errors, {Mib(pid):F0} MiB"))
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
            {
                while (Interlocked.Increment(ref started) <= options.Calls)
                {
                    try
                    {
                        using var response = await http.GetAsync(new Uri("/process", UriKind.Relative));
                        await response.Content.LoadIntoBufferAsync();
                        if (!response.IsSuccessStatusCode)
                        {
                            errors.Add($"HTTP {(int)response.StatusCode}");
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
                    {
                        errors.Add(exception);
                    }

                    if (Interlocked.Increment(ref done) == Checkpoint)
                    {
                        atCheckpoint = Mib(pid);
                    }
                }
            }));
        }

        await sampling.CancelAsync();
        await sampler;
        var seconds = clock.Elapsed.TotalSeconds;
        samples.Add((seconds, done, Mib(pid)));
        if (options.Output is { } output)
        {
            await WriteSamplesAsync(Path.ChangeExtension(output, ".csv"), samples);
            await File.WriteAllTextAsync(Path.ChangeExtension(output, ".svg"), SoakChart.Render(samples, options.Target, Checkpoint));
        }

        var figures = new Dictionary<string, double>
        {
            ["calls"] = done,
            ["calls_per_s"] = done / seconds,
            ["rss_start_mib"] = samples[0].Mib,
            ["rss_after_20000_mib"] = atCheckpoint ?? double.NaN,
            ["rss_end_mib"] = samples[^1].Mib,
            ["rss_max_mib"] = samples.Max(sample => sample.Mib),
        };
        return new Measurement(options.Target, "soak", options.Concurrency, seconds, figures, errors.Snapshot());
    }

    private static async Task SampleAsync(
        int pid, TimeSpan interval, Stopwatch clock, Func<long> done, List<(double Seconds, long Calls, double Mib)> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                samples.Add((clock.Elapsed.TotalSeconds, done(), Mib(pid)));
            }
        }
        catch (OperationCanceledException)
        {
            // The calls are done.
        }
    }

    private static double Mib(int pid) => (ServerMemory.ResidentBytes(pid) ?? 0) / 1048576.0;

    private static async Task WriteSamplesAsync(string path, List<(double Seconds, long Calls, double Mib)> samples)
    {
        var csv = new StringBuilder("seconds,calls,rss_mib\n");
        foreach (var (seconds, calls, mib) in samples)
        {
            csv.AppendLine(CultureInfo.InvariantCulture, $"{seconds:F1},{calls},{mib:F1}");
        }

        await File.WriteAllTextAsync(path, csv.ToString());
    }
}
