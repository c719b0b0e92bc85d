using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LoadGenerator;

/// <summary>
/// C sessions, each on its own <c>/sessions/{id}/ws</c> socket, starting T sleep tasks at once and waiting for every
/// <c>task.completed</c> event; latency runs from the moment the starts were sent.
/// </summary>
internal static class TasksScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout }) { BaseAddress = options.Url, Timeout = options.RequestTimeout };
        var errors = new ErrorTally();
        var sessions = new CreatedSession?[options.Concurrency];
        await Parallel.ForAsync(0, options.Concurrency, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            using var response = await http.PostAsync(new Uri("/sessions", UriKind.Relative), content: null, ct);
            sessions[i] = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<CreatedSession>(ct) : null;
            if (sessions[i] is null)
            {
                errors.Add($"create HTTP {(int)response.StatusCode}");
            }
        });

        var sockets = await SocketDialer.OpenAsync(
            options.Concurrency,
            i => SocketDialer.SocketUri(options.Url, $"/sessions/{sessions[i]?.Id ?? "missing"}/ws"),
            errors,
            options.RequestTimeout,
            (socket, i) => socket.Options.SetRequestHeader("Authorization", $"Bearer {sessions[i]?.ResumeToken}"));
        var latencies = new Latencies();
        long events = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            await using (new Progress("tasks", () => $"{latencies.Count} of {sockets.Count * options.Tasks} tasks completed, {Interlocked.Read(ref events)} events, {errors.Total} errors"))
            {
                await Task.WhenAll(sockets.Select(socket => Task.Run(() => RunTasksAsync(socket, options, latencies, errors, () => Interlocked.Increment(ref events)))));
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var figures = new Dictionary<string, double>
            {
                ["sessions"] = sockets.Count,
                ["completed"] = latencies.Count,
                ["tasks_per_s"] = latencies.Count / seconds,
                ["events"] = events,
                ["events_per_s"] = events / seconds,
            };
            foreach (var (name, value) in latencies.Percentiles("latency"))
            {
                figures[name] = value;
            }

            return new Measurement(options.Target, "tasks", options.Concurrency, seconds, figures, errors.Snapshot());
        }
        finally
        {
            SocketDialer.AbortAll(sockets);
        }
    }

    private static async Task RunTasksAsync(ClientWebSocket socket, BenchOptions options, Latencies latencies, ErrorTally errors, Action countEvent)
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(options.RequestTimeout + TimeSpan.FromSeconds(options.TaskSeconds));
        try
        {
            if (await ReceiveTypeAsync(socket, buffer, deadline.Token) is not ("welcome", _))
            {
                errors.Add("no welcome");
                return;
            }

            for (var k = 0; k < options.Tasks; k++)
            {
                var start = string.Create(CultureInfo.InvariantCulture, $$"""{"type":"task.start","kind":"sleep","seconds":{{options.TaskSeconds}},"ref":{{k}}}""");
                await socket.SendAsync(Encoding.UTF8.GetBytes(start), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
            }

            var sent = Stopwatch.StartNew();
            var finished = 0;
            while (finished < options.Tasks)
            {
                var (type, root) = await ReceiveTypeAsync(socket, buffer, deadline.Token);
                switch (type)
                {
                    case "task.completed":
                        countEvent();
                        latencies.Add(sent.Elapsed);
                        finished++;
                        break;
                    case "task.failed" or "task.cancelled" or "task.interrupted":
                        countEvent();
                        errors.Add(type);
                        finished++;
                        break;
                    case "error":
                        errors.Add($"error {root.GetProperty("code").GetString()}");
                        finished++;
                        break;
                    case null:
                        errors.Add($"closed {socket.CloseStatus}");
                        return;
                    default:
                        if (type.StartsWith("task.", StringComparison.Ordinal) && type != "task.accepted")
                        {
                            countEvent();
                        }

                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            errors.Add(exception);
        }
    }

    /// <summary>The next whole message's <c>type</c>, or null once the server closed.</summary>
    private static async Task<(string? Type, JsonElement Root)> ReceiveTypeAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && length < buffer.Length);

        if (result.MessageType == WebSocketMessageType.Close)
        {
            return (null, default);
        }

        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        var root = document.RootElement.Clone();
        return (root.GetProperty("type").GetString(), root);
    }
}
