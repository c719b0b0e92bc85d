namespace Grains;

/// <summary>
/// A periodic tick on the session's clock while it is wanted. Like <see cref="ClockAlarm"/>, started from grain code
/// its ticks run as turns of the grain; a tick's work ends before the next tick is awaited.
/// </summary>
internal sealed class ClockTicker(TimeProvider clock, TimeSpan interval)
{
    private PeriodicTimer? _ticks;

    public bool IsRunning => _ticks is not null;

    /// <summary>Starts calling <paramref name="onTick"/> every interval, or stops.</summary>
    /// <returns>Whether it started or stopped, rather than staying as it was.</returns>
    public bool Run(bool wanted, Func<Task> onTick)
    {
        if (wanted == IsRunning)
        {
            return false;
        }

        _ticks?.Dispose();
        _ticks = wanted ? new PeriodicTimer(interval, clock) : null;
        if (_ticks is not null)
        {
            _ = TickAsync(_ticks, onTick);
        }

        return true;
    }

    /// <returns>Whether it was running.</returns>
    public bool Stop() => Run(wanted: false, static () => Task.CompletedTask);

    private static async Task TickAsync(PeriodicTimer ticks, Func<Task> onTick)
    {
        while (await ticks.WaitForNextTickAsync())
        {
            await onTick();
        }
    }
}
