namespace Api.WebSockets;

/// <summary>
/// A token bucket per socket: <see cref="WebSocketLimits.MessagesPerSecond"/> refill, room for
/// <see cref="WebSocketLimits.MessageBurst"/>, so short bursts pass and only a sustained flood is refused.
/// Used by the socket's single receive loop, so it needs no locking.
/// </summary>
internal sealed class MessageRateLimiter
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _clock;
    private double _tokens;
    private long _refilledAt;

    public MessageRateLimiter(double perSecond, double burst, TimeProvider clock)
    {
        _perSecond = perSecond;
        _burst = burst;
        _clock = clock;
        _tokens = burst;
        _refilledAt = clock.GetTimestamp();
    }

    public bool TryTake()
    {
        var now = _clock.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_clock.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
