using System.Buffers;

namespace Api.WebSockets;

/// <summary>
/// Joins the fragments of one WebSocket message, up to a limit, in a pooled buffer that is returned
/// as soon as the message is handled, so an idle socket holds no message buffer.
/// </summary>
internal sealed class MessageAssembler(int maxBytes) : IDisposable
{
    private byte[]? _buffer;
    private int _length;

    public bool IsEmpty => _length == 0;

    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(0, _length);

    /// <summary>Adds a fragment; false when the message would exceed the limit.</summary>
    public bool TryAppend(ReadOnlySpan<byte> fragment)
    {
        if (fragment.Length > maxBytes - _length)
        {
            return false;
        }

        var needed = _length + fragment.Length;
        if (_buffer is null || _buffer.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, (_buffer?.Length ?? 0) * 2));
            _buffer?.AsSpan(0, _length).CopyTo(larger);
            Release();
            _buffer = larger;
        }

        fragment.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
        return true;
    }

    public void Reset()
    {
        _length = 0;
        Release();
    }

    public void Dispose() => Reset();

    private void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
