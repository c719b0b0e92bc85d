using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    private readonly HashSet<IGrainTimer> _enabledTimers = [];
    private IGrainTimer? _housekeeping;
    private bool _held;
    private PeriodicTimer? _progressTicks;
    private CancellationTokenSource? _disconnectWait;
    private DateTimeOffset? _disconnectDue;

    /// <summary>Starts or stops what only a busy session needs: housekeeping, progress reports, the disconnect deadline.</summary>
    private void UpdateTimers()
    {
        UpdateHousekeeping();
        UpdateProgressReports();
        UpdateDisconnectDeadline();
    }

    /// <summary>
    /// While the session has open sockets or tasks that outlast one tick, a timer keeps the activation alive (idle
    /// collection would otherwise drop it mid-task), flushes changed counters and expires sockets whose front end
    /// stopped renewing them. It runs on Orleans' clock: it is about the activation's life, not the session's rules.
    /// </summary>
    private void UpdateHousekeeping()
    {
        var interval = _options.FlushInterval < _options.ConnectionLease / 2 ? _options.FlushInterval : _options.ConnectionLease / 2;
        var enabled = _sockets.Count > 0 || _tasks.WorkOutlasts(interval);
        if (enabled != (_housekeeping is not null && _enabledTimers.Contains(_housekeeping)))
        {
            // A paused timer is kept and re-armed with Change: this can run inside its own callback, where disposing it is not safe.
            _housekeeping ??= this.RegisterGrainTimer(HousekeepingAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)
            {
                KeepAlive = true,
                Interleave = true,
            });
            _housekeeping.Change(enabled ? interval : Timeout.InfiniteTimeSpan, enabled ? interval : Timeout.InfiniteTimeSpan);
            CountTimer(_housekeeping, enabled);
        }

        // A sleep that ends before the first tick is covered by the hold alone: it lasts one lease, twice the interval.
        HoldInMemory(InUse);
    }

    // The timer's ticks alone count as activity only from the end of the last tick, so a thread-pool stall longer
    // than the idle timeout could let idle collection take a session whose socket is open. An explicit hold for one
    // connection lease, renewed at every tick, makes that a matter of the lease, not of scheduling.
    private void HoldInMemory(bool hold)
    {
        if (hold || _held)
        {
            DelayDeactivation(hold ? _options.ConnectionLease : TimeSpan.Zero);
            _held = hold;
        }
    }

    private async Task HousekeepingAsync(CancellationToken cancellationToken)
    {
        ExpireUnrenewedSockets();
        HoldInMemory(InUse);
        _dirty |= Session.Exists && InUse && _retention.NeedsRefresh(Session);
        if (_dirty)
        {
            await WriteAndSendSafelyAsync();
        }
    }

    /// <summary>Progress reports run on the session's clock, like the sleeps they report on.</summary>
    private void UpdateProgressReports()
    {
        var enabled = _tasks.WorkOutlasts(_progressInterval);
        if (enabled == _progressTicks is not null)
        {
            return;
        }

        metrics.TimersChanged(enabled ? 1 : -1);
        _progressTicks?.Dispose();
        _progressTicks = enabled ? new PeriodicTimer(_progressInterval, _clock) : null;
        if (_progressTicks is not null)
        {
            _ = ReportProgressAsync(_progressTicks);
        }
    }

    private async Task ReportProgressAsync(PeriodicTimer ticks)
    {
        while (await ticks.WaitForNextTickAsync())
        {
            var changed = _tasks.ProgressToReport();
            foreach (var task in changed)
            {
                LogEvent(SessionEventKind.TaskProgress, task);
            }

            if (changed.Count > 0)
            {
                await SendSafelyAsync();
            }
        }
    }

    /// <summary>Waits, on the session's clock, for the earliest <c>cancelAfterSeconds</c> deadline while no socket is open.</summary>
    private void UpdateDisconnectDeadline()
    {
        var due = DisconnectPolicy.Earliest(_tasks, _sockets);
        if (due == _disconnectDue)
        {
            return;
        }

        _disconnectDue = due;
        _disconnectWait?.Cancel();
        _disconnectWait?.Dispose();
        _disconnectWait = due is null ? null : new CancellationTokenSource();
        if (due is { } at)
        {
            _ = CancelAbandonedTasksAsync(at, _disconnectWait!.Token);
        }
    }

    private async Task CancelAbandonedTasksAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        var delay = due - _clock.GetUtcNow();
        await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _clock, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        if (!cancellationToken.IsCancellationRequested)
        {
            _disconnectDue = null;
            DisconnectPolicy.CancelDue(_tasks, _sockets, _clock.GetUtcNow());
            UpdateDisconnectDeadline();
        }
    }

    /// <summary>At deactivation: the waits on the session's clock go with the activation.</summary>
    private void StopClockWaits()
    {
        _disconnectWait?.Cancel();
        if (_progressTicks is not null)
        {
            _progressTicks.Dispose();
            _progressTicks = null;
            metrics.TimersChanged(-1);
        }
    }

    private void CountTimer(IGrainTimer timer, bool enabled)
    {
        if (enabled ? _enabledTimers.Add(timer) : _enabledTimers.Remove(timer))
        {
            metrics.TimersChanged(enabled ? 1 : -1);
        }
    }
}
