namespace Grains;

/// <summary>
/// The session-clock timers of running tasks: progress reports while some task's work outlasts the report interval,
/// and one alarm at the earliest disconnect deadline. Both ring as turns of the grain (see <see cref="ClockTicker"/>).
/// The callbacks are given once, so updating after every change allocates nothing.
/// </summary>
internal sealed class TaskClocks(
    TimeProvider clock, TimeSpan progressInterval, TaskRunner tasks, ConnectionTable sockets, Func<Task> reportProgress, Action onDisconnectDue)
{
    private ClockTicker? _progressReports;
    private ClockAlarm? _disconnectDeadline;

    /// <returns>1 when the progress timer started, -1 when it stopped, else 0 (the timer gauge counts it).</returns>
    public int Update()
    {
        var change = 0;
        var progress = tasks.WorkOutlasts(progressInterval);
        if (progress != (_progressReports?.IsRunning == true))
        {
            (_progressReports ??= new ClockTicker(clock, progressInterval)).Run(progress, reportProgress);
            change = progress ? 1 : -1;
        }

        if (DisconnectPolicy.Earliest(tasks, sockets) is var due && due != _disconnectDeadline?.Due)
        {
            (_disconnectDeadline ??= new ClockAlarm(clock)).Set(due, onDisconnectDue);
        }

        return change;
    }

    /// <returns>-1 when the progress timer was running, else 0.</returns>
    public int Stop()
    {
        _disconnectDeadline?.Stop();
        return _progressReports?.Stop() == true ? -1 : 0;
    }
}
