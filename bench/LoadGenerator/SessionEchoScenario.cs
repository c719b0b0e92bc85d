using System.Net.Http.Json;
using System.Net.WebSockets;

namespace LoadGenerator;

/// <summary>
/// The session socket's JSON echo: C sessions made with <c>POST /sessions</c>, each on its own
/// <c>/sessions/{id}/ws</c> (token in the upgrade header), sending M <c>{"type":"echo"}</c> requests one at a time.
/// Every reply is produced by the session's grain.
/// </summary>
internal static class SessionEchoScenario
{
    private static readonly byte[] Welcome = """{"type":"welcome","""u8.ToArray();

    public static async Task<Measurement> RunAsync(BenchOptions options)
    {
        var errors = new ErrorTally();
        var sessions = await CreateSessionsAsync(options, errors);
        var sockets = await SocketDialer.OpenAsync(
            options.Concurrency,
            i => SocketDialer.SocketUri(options.Url, $"/sessions/{sessions[i]?.Id ?? "missing"}/ws"),
            errors,
            options.RequestTimeout,
            (socket, i) => socket.Options.SetRequestHeader("Authorization", $"Bearer {sessions[i]?.ResumeToken}"));
        var welcomed = await Task.WhenAll(sockets.Select(socket => ReceiveWelcomeAsync(socket, options.RequestTimeout, errors)));
        SocketDialer.AbortAll(sockets.Where((_, i) => !welcomed[i]));
        return await WsEchoScenario.MeasureAsync(EchoDialect.SessionJson, [.. sockets.Where((_, i) => welcomed[i])], options, errors);
    }

    private static async Task<CreatedSession?[]> CreateSessionsAsync(BenchOptions options, ErrorTally errors)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout }) { BaseAddress = options.Url, Timeout = options.RequestTimeout };
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
        return sessions;
    }

    /// <summary>The first message of a session socket is its welcome; anything else counts as an error.</summary>
    private static async Task<bool> ReceiveWelcomeAsync(ClientWebSocket socket, TimeSpan timeout, ErrorTally errors)
    {
        var buffer = new byte[4096];
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            var result = await socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
            if (result.MessageType == WebSocketMessageType.Text && result.EndOfMessage && buffer.AsSpan(0, result.Count).StartsWith(Welcome))
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
