using System.Net.WebSockets;
using System.Text.Unicode;

namespace Api.WebSockets;

/// <summary>
/// Turns a socket's received frames into whole text messages within its limits: size, UTF-8 across fragments and
/// the message rate. A frame that breaks one starts the close with the matching code.
/// </summary>
internal sealed class MessageIntake : IDisposable
{
    private readonly WebSocketLimits _limits;
    private readonly SocketClosing _closing;
    private readonly MessageAssembler _assembler;
    private readonly MessageRateLimiter _rate;
    private readonly int _piecesPerToken;
    private int _piecesUncounted;

    public MessageIntake(WebSocketLimits limits, TimeProvider clock, SocketClosing closing)
    {
        _limits = limits;
        _closing = closing;
        _assembler = new MessageAssembler(limits.MaxMessageBytes);
        _rate = new MessageRateLimiter(limits.MessagesPerSecond, limits.MessageBurst, clock);

        // A message as large as the limit, read a buffer at a time, costs one token more than a small one; a flood of
        // tiny or empty fragments, which never grows a message, costs a token per that many pieces.
        _piecesPerToken = Math.Max(1, limits.MaxMessageBytes / limits.ReceiveBufferBytes);
    }

    /// <summary>True with a whole message to handle, valid until <see cref="Reset"/>; false while it is incomplete or refused.</summary>
    public bool TryTake(ValueWebSocketReceiveResult received, ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> message)
    {
        message = default;
        if (received.MessageType == WebSocketMessageType.Binary)
        {
            _closing.Start(WebSocketCloseStatus.InvalidMessageType, "Binary messages are not accepted; send UTF-8 text", "binary message");
            return false;
        }

        if (received.EndOfMessage && _assembler.IsEmpty && data.Length <= _limits.MaxMessageBytes)
        {
            message = data;
        }
        else if (_assembler.TryAppend(data.Span))
        {
            if (!received.EndOfMessage)
            {
                if (++_piecesUncounted == _piecesPerToken)
                {
                    _piecesUncounted = 0;
                    TakeToken();
                }

                return false;
            }

            message = _assembler.Message;

            // The framework checks UTF-8 frame by frame, but not when the final frame is empty, so a character cut
            // off at the end of a fragment would pass; a message assembled from fragments is checked whole here.
            if (!Utf8.IsValid(message.Span))
            {
                _assembler.Reset();
                _closing.Start(WebSocketCloseStatus.InvalidPayloadData, "Text messages must be valid UTF-8", "invalid utf-8");
                return false;
            }
        }
        else
        {
            _closing.Start(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_limits.MaxMessageBytes} bytes", "message too big");
            return false;
        }

        // A message in one frame needs no check of ours: the framework validates it, sends 1007 and aborts.
        return TakeToken();
    }

    /// <summary>Lets go of the message handed out, so the next one starts empty.</summary>
    public void Reset() => _assembler.Reset();

    public void Dispose() => _assembler.Dispose();

    private bool TakeToken()
    {
        if (_rate.TryTake())
        {
            return true;
        }

        _assembler.Reset();
        _closing.Start(WebSocketCloseStatus.PolicyViolation, $"Too many messages: more than {_limits.MessagesPerSecond}/s", "rate limited");
        return false;
    }
}
