using System.Net.WebSockets;
using System.Threading.Channels;

namespace Api.Protocol;

/// <summary>
/// Everything a session socket sends, in order, through one bounded queue: a client too slow to drain it is
/// closed instead of growing the server's memory.
/// </summary>
internal sealed class OutboundQueue(int limit)
{
    private readonly Channel<byte[]> _messages = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(limit)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>False when the queue is full (or completed).</summary>
    public bool TryEnqueue<T>(T message) => _messages.Writer.TryWrite(ProtocolJson.Serialize(message));

    public void Complete() => _messages.Writer.TryComplete();

    /// <summary>Sends what is queued until the queue is completed or the connection ends.</summary>
    public async Task SendAllAsync(Func<ReadOnlyMemory<byte>, ValueTask> send, CancellationToken ending)
    {
        try
        {
            await foreach (var message in _messages.Reader.ReadAllAsync(ending))
            {
                await send(message);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is ending; what was not sent no longer has a reader.
        }
    }
}
