namespace Grains;

/// <summary>
/// A periodic grain timer switched on and off as the session needs it. A switched-off timer is kept and re-armed
/// with Change, because switching can happen inside the timer's own callback, where disposing it is not safe.
/// </summary>
internal sealed class GrainTimerSwitch(IGrainBase grain, Func<CancellationToken, Task> tick, bool keepAlive)
{
    private IGrainTimer? _timer;

    public bool IsOn { get; private set; }

    /// <returns>1 when switched on, -1 when switched off, 0 when left as it was (the timer gauge counts it).</returns>
    public int Switch(bool on, TimeSpan interval)
    {
        if (on == IsOn)
        {
            return 0;
        }

        _timer ??= grain.RegisterGrainTimer(tick, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
        {
            KeepAlive = keepAlive,
            Interleave = true,
        });
        var period = on ? interval : Timeout.InfiniteTimeSpan;
        _timer.Change(period, period);
        IsOn = on;
        return on ? 1 : -1;
    }
}
