using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Sessions.Client;

namespace LoadGenerator;

/// <summary>
/// C sessions, each on its own <c>/sessions/{id}/ws</c> socket, starting T sleep tasks at once and waiting for every
/// <c>task.completed</c> event; latency runs from the moment the starts were sent.
/// </summary>
internal static class TasksScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var errors = new ErrorTally();
        var sockets = await SessionSockets.OpenAsync(options, errors);
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
            if (!await SocketReader.ReceiveWelcomeAsync(socket, buffer, deadline.Token))
            {
                errors.Add("no welcome");
                return;
            }

            var task = TaskStartRequest.Sleep(options.TaskSeconds);
            for (var k = 0; k < options.Tasks; k++)
            {
                var start = ClientMessage.TaskStart(task, k.ToString(CultureInfo.InvariantCulture));
                await socket.SendAsync(start, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
            }

            var sent = Stopwatch.StartNew();
            var finished = 0;
            while (finished < options.Tasks)
            {
                var (type, length) = await ReceiveAsync(socket, buffer, deadline.Token);
                switch (type)
                {
                    case null:
                        errors.Add($"closed {socket.CloseStatus}");
                        return;
                    case ServerMessageType.Error:
                        errors.Add($"error {ServerMessage.ReadError(buffer.AsSpan(0, length)).Code}");
                        finished++;
                        break;
                    case ServerMessageType.TaskCompleted:
                        countEvent();
                        latencies.Add(sent.Elapsed);
                        finished++;
                        break;
                    case { } outcome when outcome.IsTaskOutcome():
                        countEvent();
                        errors.Add($"task {outcome}");
                        finished++;
                        break;
                    case { } other when other.IsTaskEvent():
                        countEvent();
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            errors.Add(exception);
        }
    }

    /// <summary>The next whole message's type and length in <paramref name="buffer"/>, or a null type once the server closed.</summary>
    private static async Task<(ServerMessageType? Type, int Length)> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var (type, length) = await SocketReader.ReceiveMessageAsync(socket, buffer, cancellationToken);
        return type == WebSocketMessageType.Close ? (null, 0) : (ServerMessage.ReadType(buffer.AsSpan(0, length)), length);
    }
}
