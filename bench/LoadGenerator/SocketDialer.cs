using System.Net.WebSockets;

namespace LoadGenerator;

/// <summary>Opens many WebSockets with a bounded number of handshakes in flight.</summary>
internal static class SocketDialer
{
    private const int HandshakesInFlight = 200;

    public static Uri SocketUri(Uri baseUrl, string path) =>
        new UriBuilder(baseUrl) { Scheme = baseUrl.Scheme == "https" ? "wss" : "ws", Path = path }.Uri;

    public static async Task<List<ClientWebSocket>> OpenAsync(
        int count, Func<int, Uri> address, ErrorTally errors, TimeSpan timeout, Action<ClientWebSocket, int>? configure = null)
    {
        var sockets = new List<ClientWebSocket>(count);
        using var gate = new SemaphoreSlim(HandshakesInFlight);
        var dials = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            configure?.Invoke(socket, i);
            try
            {
                using var deadline = new CancellationTokenSource(timeout);
                await socket.ConnectAsync(address(i), deadline.Token);
                lock (sockets)
                {
                    sockets.Add(socket);
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                errors.Add($"connect: {(exception is WebSocketException ? exception.Message : exception.GetType().Name)}");
                socket.Dispose();
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(dials);
        return sockets;
    }

    public static void AbortAll(IEnumerable<ClientWebSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
