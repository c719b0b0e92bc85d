using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace LoadGenerator;

/// <summary>C sockets on <c>/ws</c>, each sending M messages of S bytes with one outstanding at a time.</summary>
internal static class WsEchoScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var errors = new ErrorTally();
        var sockets = await SocketDialer.OpenAsync(options.Concurrency, _ => SocketDialer.SocketUri(options.Url, "/ws"), errors, options.RequestTimeout);
        var latencies = new Latencies();
        long wrong = 0;
        try
        {
            var total = Stopwatch.StartNew();
            await using (new Progress("ws-echo", () => $"{latencies.Count} echoed, {Interlocked.Read(ref wrong)} wrong, {errors.Total} errors"))
            {
                await Task.WhenAll(sockets.Select((socket, i) => Task.Run(() => ConverseAsync(socket, i, options, latencies, errors, () => Interlocked.Increment(ref wrong)))));
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

            return new Measurement(options.Target, "ws-echo", options.Concurrency, seconds, figures, errors.Snapshot());
        }
        finally
        {
            await CloseAllAsync(sockets);
        }
    }

    private static async Task ConverseAsync(ClientWebSocket socket, int index, BenchOptions options, Latencies latencies, ErrorTally errors, Action wrongReply)
    {
        var receive = new byte[options.Size + 64];
        try
        {
            for (var m = 0; m < options.Messages; m++)
            {
                var text = Payload(index, m, options.Size);
                var sent = Encoding.UTF8.GetBytes(text);
                using var deadline = new CancellationTokenSource(options.RequestTimeout);
                var clock = Stopwatch.StartNew();
                await socket.SendAsync(sent, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(receive.AsMemory(length), deadline.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < receive.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    errors.Add($"closed {socket.CloseStatus}");
                    return;
                }

                latencies.Add(clock.Elapsed);
                if (Encoding.UTF8.GetString(receive, 0, length) != "Echo: " + text)
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

    /// <summary>A distinct message per socket and turn, so a reply meant for another message is caught as wrong.</summary>
    private static string Payload(int socket, int message, int size)
    {
        var head = $"{socket}:{message}:";
        return head.Length >= size ? head : head + new string('x', size - head.Length);
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
