using System.Net.WebSockets;
using System.Text.Json;

namespace Api.Tests;

/// <summary>A raw client of <c>/sessions/{id}/ws</c> for tests of the wire itself (exact messages, refs, malformed frames, closes); others use Sessions.Client.</summary>
public sealed class ProtocolClient : IDisposable
{
    private ProtocolClient(SocketClient socket) => Socket = socket;

    public SocketClient Socket { get; }

    public static async Task<ProtocolClient> ConnectAsync(ApiHost host, string sessionId, string? headerToken, long? lastSeq = null)
    {
        var query = lastSeq is { } seq ? $"?lastSeq={seq}" : "";
        return new ProtocolClient(await SocketClient.ConnectAsync(new Uri(host.SocketAddress, $"/sessions/{sessionId}/ws{query}"), headerToken));
    }

    public Task SendAsync(object message) => Socket.SendTextAsync(JsonSerializer.Serialize(message));

    public async Task<JsonElement> ReceiveAsync() => JsonDocument.Parse(await Socket.ReceiveTextAsync()).RootElement;

    /// <summary>Messages in arrival order up to and including the first that matches <paramref name="last"/>.</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(Func<JsonElement, bool> last)
    {
        // Bounded as a whole too: a stream of other messages must not keep a test waiting forever.
        var until = DateTime.UtcNow + Deadline.Default;
        var received = new List<JsonElement>();
        while (true)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"No matching message within {Deadline.Default}; received {received.Count} others.");
            }

            var message = await ReceiveAsync();
            received.Add(message);
            if (last(message))
            {
                return received;
            }
        }
    }

    public Task<WebSocketCloseStatus?> ReceiveCloseAsync() => Socket.ReceiveCloseAsync();

    public void Dispose() => Socket.Dispose();

    public static string TypeOf(JsonElement message) => message.GetProperty("type").GetString()!;

    public static bool IsFinalEventOf(JsonElement message, string taskId) =>
        TypeOf(message) is "task.completed" or "task.failed" or "task.cancelled" or "task.interrupted"
        && message.GetProperty("task").GetProperty("id").GetString() == taskId;
}
