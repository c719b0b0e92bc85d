namespace Grains;

/// <summary>
/// A periodic grain timer switched on and off as the session needs it. A switched-off timer is kept and re-armed
/// with Change, because switching can happen inside the timer's own callback, where disposing it is not safe.
/// </summary>
internal sealed class GrainTimerSwitch(IGrainBase grain, Func<CancellationToken, Task> tick, bool keepAlive)
{
    private IGrainTimer? _timer;

    public bool IsOn { get; private set; }

    /// <returns>Whether it was switched, rather than left as it was.</returns>
    public bool Switch(bool on, TimeSpan interval)
    {
        if (on == IsOn)
        {
            return false;
        }

        _timer ??= grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
        {
            KeepAlive = keepAlive,
            Interleave = true,
        });
        var period = on ? interval : Timeout.InfiniteTimeSpan;
        _timer.Change(period, period);
        IsOn = on;
        return true;
    }
}
