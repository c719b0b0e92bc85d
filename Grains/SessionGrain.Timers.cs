using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    private bool _held;

    /// <summary>Starts or stops what only a busy session needs: housekeeping, progress reports, the disconnect deadline.</summary>
    private void UpdateTimers()
    {
        var interval = ActivationHold.TickInterval(_options);
        var housekeeping = _sockets.Count > 0 || _tasks.WorkOutlasts(interval);
        if (housekeeping != (_housekeeping?.IsOn == true))
        {
            (_housekeeping ??= new GrainTimerSwitch(this, HousekeepingAsync, keepAlive: true)).Switch(housekeeping, interval);
            metrics.TimersChanged(housekeeping ? 1 : -1);
        }

        // A sleep that ends before the first tick is covered by the hold alone: it lasts one lease, twice the interval.
        HoldInMemory(InUse);

        // Compared here, not only in the parts, so the common case allocates no callback.
        var progress = _tasks.WorkOutlasts(_taskOptions.ProgressInterval);
        if (progress != (_progressReports?.IsRunning == true))
        {
            (_progressReports ??= new ClockTicker(_clock, _taskOptions.ProgressInterval)).Run(progress, ReportProgressAsync);
            metrics.TimersChanged(progress ? 1 : -1);
        }

        if (DisconnectPolicy.Earliest(_tasks, _sockets) is var due && due != _disconnectDeadline?.Due)
        {
            (_disconnectDeadline ??= new ClockAlarm(_clock)).Set(due, CancelAbandonedTasks);
        }
    }

    private void HoldInMemory(bool hold)
    {
        if (ActivationHold.Next(hold, _held, _options) is { } span)
        {
            DelayDeactivation(span);
            _held = hold;
        }
    }

    /// <summary>
    /// While the session has open sockets or tasks that outlast one tick, this keeps the activation alive (idle
    /// collection would otherwise drop it mid-task), stores changed counters and forgets sockets whose front end
    /// stopped renewing them. It runs on Orleans' clock: it is about the activation's life, not the session's rules.
    /// </summary>
    private async Task HousekeepingAsync(CancellationToken cancellationToken)
    {
        if (_sockets.RemoveUnrenewed() is var expired and > 0)
        {
            metrics.ConnectionsChanged(-expired);
            Log.ConnectionsExpired(logger, SessionId, expired);
            UpdateTimers();
        }

        HoldInMemory(InUse);
        if (_store.HasUnstoredChanges || (Session.Exists && InUse && _retention.NeedsRefresh(Session)))
        {
            await _store.LogFailureAsync(WriteAsync());
            Send();
        }
    }

    private Task ReportProgressAsync() => _tasks.ReportProgress() ? _store.LogFailureAsync(SendAsync()) : Task.CompletedTask;

    private void CancelAbandonedTasks()
    {
        DisconnectPolicy.CancelDue(_tasks, _sockets, _clock.GetUtcNow());
        UpdateTimers();
    }
}
