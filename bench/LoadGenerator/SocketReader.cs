using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Sessions.Client;

namespace LoadGenerator;

/// <summary>Reading whole messages off a socket, for every scenario that talks to one.</summary>
internal static class SocketReader
{
    /// <summary>
    /// Receives one whole message into <paramref name="buffer"/> and returns its type and length (0 for a close). A message
    /// longer than the buffer is cut at the buffer's end, and its rest is read as the next message. The state machine is
    /// pooled, as the socket's own receive is: once warm, reading a message allocates nothing.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(
        ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && length < buffer.Length);

        return result.MessageType == WebSocketMessageType.Close ? (result.MessageType, 0) : (result.MessageType, length);
    }

    /// <summary>
    /// Whether the socket's first message, read whole (a fragmented one included) into <paramref name="buffer"/>, is the
    /// session socket's welcome.
    /// </summary>
    public static async Task<bool> ReceiveWelcomeAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var (type, length) = await ReceiveMessageAsync(socket, buffer, cancellationToken);
        return type == WebSocketMessageType.Text && ServerMessage.ReadType(buffer.AsSpan(0, length)) == ServerMessageType.Welcome;
    }
}
