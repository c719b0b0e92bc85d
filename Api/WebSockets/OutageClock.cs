namespace Api.WebSockets;

/// <summary>How long a socket's calls to its session have been failing without a success in between.</summary>
internal sealed class OutageClock(TimeProvider clock)
{
    private DateTimeOffset? _failingSince;

    /// <summary>Records a failure; returns how long failures have lasted, zero for the first.</summary>
    public TimeSpan Failed()
    {
        var now = clock.GetUtcNow();
        _failingSince ??= now;
        return now - _failingSince.Value;
    }

    public void Ended() => _failingSince = null;
}
