using System.Net.WebSockets;

namespace LoadGenerator;

/// <summary>
/// The session socket's JSON echo: C sessions made with <c>POST /sessions</c>, each on its own
/// <c>/sessions/{id}/ws</c> (token in the upgrade header), sending M <c>{"type":"echo"}</c> requests one at a time.
/// Every reply is produced by the session's grain.
/// </summary>
internal static class SessionEchoScenario
{
    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var errors = new ErrorTally();
        var sockets = await SessionSockets.OpenAsync(options, errors);
        var welcomed = await Task.WhenAll(sockets.Select(socket => ReceiveWelcomeAsync(socket, options.RequestTimeout, errors)));
        SocketDialer.AbortAll(sockets.Where((_, i) => !welcomed[i]));
        return await WsEchoScenario.MeasureAsync(EchoDialect.SessionJson, [.. sockets.Where((_, i) => welcomed[i])], options, errors);
    }

    /// <summary>The first message of a session socket is its welcome; anything else counts as an error.</summary>
    private static async Task<bool> ReceiveWelcomeAsync(ClientWebSocket socket, TimeSpan timeout, ErrorTally errors)
    {
        var buffer = new byte[4096];
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            if (await SocketReader.ReceiveWelcomeAsync(socket, buffer, deadline.Token))
            {
                return true;
            }

            errors.Add("no welcome");
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            errors.Add(exception);
        }

        return false;
    }
}
