using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;

namespace LoadGenerator;

/// <summary>
/// C sockets on <c>/ws</c> (or, as <c>session-echo</c>, on <c>/sessions/{id}/ws</c> with JSON echo requests), each
/// sending M messages of S bytes with one outstanding at a time. The loop allocates
/// nothing per message and arms no timer per message (a watchdog cancels everything when replies stop coming),
/// and passes no cancellation token to the socket (registering one costs on every call), so the load generator leaves as much of a shared machine as it can to the server it measures.
/// </summary>
internal static class WsEchoScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var errors = new ErrorTally();
        var sockets = await SocketDialer.OpenAsync(options.Concurrency, _ => SocketDialer.SocketUri(options.Url, "/ws"), errors, options.RequestTimeout);
        return await MeasureAsync(EchoDialect.Plain, sockets, options, errors);
    }

    /// <summary>Has every socket echo its messages in the dialect, and closes them all afterwards.</summary>
    public static async Task<Measurement> MeasureAsync(EchoDialect dialect, List<ClientWebSocket> sockets, BenchOptions options, ErrorTally errors)
    {
        var latencies = new Latencies();
        long wrong = 0;
        try
        {
            var total = Stopwatch.StartNew();
            await using (new Progress(dialect.Scenario, () => $"{latencies.Count} echoed, {Interlocked.Read(ref wrong)} wrong, {errors.Total} errors"))
            {
                var conversations = Task.WhenAll(sockets.Select((socket, i) => Task.Run(
                    () => ConverseAsync(dialect, socket, i, options, latencies.NewRecorder(), errors, () => Interlocked.Increment(ref wrong)))));
                await WatchAsync(conversations, latencies, options.RequestTimeout, sockets);
            }

            var seconds = total.Elapsed.TotalSeconds;
            var figures = new Dictionary<string, double>
            {
                ["sockets"] = sockets.Count,
                ["echoed"] = latencies.Count,
                ["messages_per_s"] = latencies.Count / seconds,
                ["wrong"] = wrong,
            };
            foreach (var (name, value) in latencies.Percentiles("rtt"))
            {
                figures[name] = value;
            }

            return new Measurement(options.Target, dialect.Scenario, options.Concurrency, seconds, figures, errors.Snapshot());
        }
        finally
        {
            await CloseAllAsync(sockets);
        }
    }

    /// <summary>Waits for the conversations; if no reply arrives for a whole timeout, aborts every socket.</summary>
    private static async Task WatchAsync(Task conversations, Latencies latencies, TimeSpan timeout, List<ClientWebSocket> sockets)
    {
        var lastCount = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (await Task.WhenAny(conversations, Task.Delay(TimeSpan.FromSeconds(1))) != conversations)
        {
            if (latencies.Count != lastCount)
            {
                lastCount = latencies.Count;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > timeout)
            {
                sockets.ForEach(socket => socket.Abort());
            }
        }

        await conversations;
    }

    private static async Task ConverseAsync(
        EchoDialect dialect, ClientWebSocket socket, int index, BenchOptions options, Latencies.Recorder latencies, ErrorTally errors, Action wrongReply)
    {
        var payloadStart = dialect.RequestPrefix.Length;
        var sent = new byte[payloadStart + Math.Max(options.Size, 24) + dialect.RequestSuffix.Length];
        dialect.RequestPrefix.CopyTo(sent, 0);
        var received = new byte[sent.Length + dialect.Overhead + 64];
        try
        {
            for (var m = 0; m < options.Messages; m++)
            {
                var length = Payload(sent.AsSpan(payloadStart), index, m, options.Size);
                dialect.RequestSuffix.CopyTo(sent, payloadStart + length);
                var start = Stopwatch.GetTimestamp();
                await socket.SendAsync(sent.AsMemory(0, payloadStart + length + dialect.RequestSuffix.Length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                var (type, count) = await SocketReader.ReceiveMessageAsync(socket, received, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    errors.Add($"closed {socket.CloseStatus}");
                    return;
                }

                latencies.AddSince(start);
                if (!dialect.IsReplyTo(received.AsSpan(0, count), sent.AsSpan(payloadStart, length)))
                {
                    wrongReply();
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            errors.Add(exception);
        }
    }

    /// <summary>"socket:message:" padded with 'x' to the size: distinct per socket and turn, so a misrouted reply is caught.</summary>
    private static int Payload(Span<byte> buffer, int socket, int message, int size)
    {
        Utf8Formatter.TryFormat(socket, buffer, out var written);
        buffer[written++] = (byte)':';
        Utf8Formatter.TryFormat(message, buffer[written..], out var more);
        written += more;
        buffer[written++] = (byte)':';
        var length = Math.Max(size, written);
        buffer[written..length].Fill((byte)'x');
        return length;
    }

    private static async Task CloseAllAsync(List<ClientWebSocket> sockets)
    {
        await Task.WhenAll(sockets.Select(async socket =>
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }));
        SocketDialer.AbortAll(sockets);
    }
}
