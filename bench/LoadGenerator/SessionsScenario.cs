using System.Diagnostics;
using Sessions.Client;

namespace LoadGenerator;

/// <summary>N sessions created with <c>POST /sessions</c> and kept in memory; the server's memory growth per session.</summary>
internal static class SessionsScenario
{
    private const int Workers = 256;
    private const int Samples = 200;

    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Workers, ConnectTimeout = options.RequestTimeout };
        using var http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = options.RequestTimeout };
        var api = new SessionsApi(http);
        var errors = new ErrorTally();
        var created = new SessionCredentials?[options.Concurrency];
        var next = -1;
        var done = 0;
        var before = ServerMemory.ResidentBytes(options.ServerPid);
        var clock = Stopwatch.StartNew();
        await using (new Progress("sessions", () => $"{Volatile.Read(ref done)} of {options.Concurrency} created, {errors.Total} errors"))
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < options.Concurrency; i = Interlocked.Increment(ref next))
                {
                    try
                    {
                        created[i] = await api.CreateSessionAsync();
                        Interlocked.Increment(ref done);
                    }
                    catch (SessionProtocolException refused)
                    {
                        errors.Add($"HTTP {refused.Status}");
                    }
                    catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
                    {
                        errors.Add(exception);
                    }
                }
            })));
        }

        var createSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(options.Settle);
        var after = ServerMemory.ResidentBytes(options.ServerPid);
        var alive = await SampleAsync(api, created, errors);
        var figures = new Dictionary<string, double>
        {
            ["created"] = done,
            ["created_per_s"] = done / createSeconds,
            ["sampled_alive"] = alive,
        };
        if (before is { } b && after is { } a)
        {
            figures["rss_before_mb"] = b / 1048576.0;
            figures["rss_after_mb"] = a / 1048576.0;
            figures["kb_per_session"] = done == 0 ? 0 : (a - b) / 1024.0 / done;
        }

        return new Measurement(options.Target, "sessions", options.Concurrency, clock.Elapsed.TotalSeconds, figures, errors.Snapshot());
    }

    /// <summary>Reads a spread of the sessions back with their tokens: they must all still be there.</summary>
    private static async Task<int> SampleAsync(SessionsApi api, SessionCredentials?[] created, ErrorTally errors)
    {
        var sessions = created.OfType<SessionCredentials>().ToArray();
        var alive = 0;
        var step = Math.Max(1, sessions.Length / Samples);
        for (var i = 0; i < sessions.Length; i += step)
        {
            try
            {
                await api.GetSessionAsync(sessions[i]);
                alive++;
            }
            catch (SessionProtocolException refused)
            {
                errors.Add($"sample HTTP {refused.Status}");
            }
        }

        return alive;
    }
}
