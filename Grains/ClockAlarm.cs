namespace Grains;

/// <summary>
/// A one-shot alarm on the session's clock, moved as its due time changes. Set from grain code, its wait resumes on
/// the activation's scheduler like any await there, so what it rings runs as a turn of the grain.
/// </summary>
internal sealed class ClockAlarm(TimeProvider clock)
{
    private CancellationTokenSource? _wait;

    public DateTimeOffset? Due { get; private set; }

    /// <summary>Rings <paramref name="onDue"/> at <paramref name="due"/> instead of whatever was set; null stops it.</summary>
    public void Set(DateTimeOffset? due, Action onDue)
    {
        if (due == Due)
        {
            return;
        }

        Due = due;
        _wait?.Cancel();
        _wait?.Dispose();
        _wait = due is null ? null : new CancellationTokenSource();
        if (due is { } at)
        {
            _ = RingAsync(at, onDue, _wait!.Token);
        }
    }

    public void Stop() => Set(null, static () => { });

    private async Task RingAsync(DateTimeOffset due, Action onDue, CancellationToken cancellationToken)
    {
        var delay = due - clock.GetUtcNow();
        await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, clock, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        if (!cancellationToken.IsCancellationRequested)
        {
            Due = null;
            onDue();
        }
    }
}
