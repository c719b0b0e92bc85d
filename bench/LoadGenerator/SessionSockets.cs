using System.Net.WebSockets;
using Sessions.Client;

namespace LoadGenerator;

/// <summary>C new sessions (<c>POST /sessions</c>, 64 at a time), each with its own socket authorized by its token.</summary>
internal static class SessionSockets
{
    public static async Task<List<ClientWebSocket>> OpenAsync(BenchOptions options, ErrorTally errors)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout }) { BaseAddress = options.Url, Timeout = options.RequestTimeout };
        var api = new SessionsApi(http);
        var created = new SessionCredentials?[options.Concurrency];
        await Parallel.ForAsync(0, options.Concurrency, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            try
            {
                created[i] = await api.CreateSessionAsync(ct);
            }
            catch (SessionProtocolException refused)
            {
                errors.Add($"create HTTP {refused.Status}");
            }
        });

        var sessions = created.OfType<SessionCredentials>().ToArray();
        return await SocketDialer.OpenAsync(
            sessions.Length,
            i => SessionSocketHandshake.Address(options.Url, sessions[i].Id),
            errors,
            options.RequestTimeout,
            (socket, i) => SessionSocketHandshake.Authorize(socket.Options, sessions[i]));
    }
}
