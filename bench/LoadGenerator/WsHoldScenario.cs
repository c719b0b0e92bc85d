using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace LoadGenerator;

/// <summary>C idle sockets on <c>/ws</c> held open; the server's memory growth per socket, then a check that each still echoes.</summary>
internal static class WsHoldScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var errors = new ErrorTally();
        var total = Stopwatch.StartNew();
        var before = ServerMemory.ResidentBytes(options.ServerPid);
        List<ClientWebSocket> sockets;
        await using (new Progress("ws-hold", () => "opening sockets"))
        {
            sockets = await SocketDialer.OpenAsync(options.Concurrency, _ => SocketDialer.SocketUri(options.Url, "/ws"), errors, options.RequestTimeout);
        }

        try
        {
            await Task.Delay(options.Settle);
            var after = ServerMemory.ResidentBytes(options.ServerPid);
            var held = 0;
            await using (new Progress("ws-hold", () => $"{Volatile.Read(ref held)} of {sockets.Count} answered"))
            {
                await Task.WhenAll(sockets.Select(async (socket, i) =>
                {
                    if (await EchoesAsync(socket, $"still-there-{i}", options.RequestTimeout, errors))
                    {
                        Interlocked.Increment(ref held);
                    }
                }));
            }

            var figures = new Dictionary<string, double> { ["opened"] = sockets.Count, ["held"] = held };
            if (before is { } b && after is { } a)
            {
                figures["rss_before_mb"] = b / 1048576.0;
                figures["rss_after_mb"] = a / 1048576.0;
                figures["kb_per_socket"] = sockets.Count == 0 ? 0 : (a - b) / 1024.0 / sockets.Count;
            }

            return new Measurement(options.Target, "ws-hold", options.Concurrency, total.Elapsed.TotalSeconds, figures, errors.Snapshot());
        }
        finally
        {
            SocketDialer.AbortAll(sockets);
        }
    }

    private static async Task<bool> EchoesAsync(ClientWebSocket socket, string text, TimeSpan timeout, ErrorTally errors)
    {
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
            var buffer = new byte[256];
            var result = await socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                errors.Add($"closed {socket.CloseStatus}");
                return false;
            }

            return Encoding.UTF8.GetString(buffer, 0, result.Count) == "Echo: " + text;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            errors.Add(exception);
            return false;
        }
    }
}
