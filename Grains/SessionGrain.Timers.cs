using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    /// <summary>Starts or stops what only a busy session needs: housekeeping, the hold in memory and the tasks' clocks.</summary>
    private void UpdateTimers()
    {
        var interval = ActivationHold.TickInterval(_options);
        metrics.TimersChanged(_housekeeping.Switch(_sockets.Count > 0 || _tasks.WorkOutlasts(interval), interval));

        // A sleep that ends before the first tick is covered by the hold alone: it lasts one lease, twice the interval.
        HoldInMemory();

        metrics.TimersChanged(_taskClocks.Update());
    }

    private void HoldInMemory()
    {
        if (_hold.Next(InUse) is { } span)
        {
            DelayDeactivation(span);
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

        HoldInMemory();
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
