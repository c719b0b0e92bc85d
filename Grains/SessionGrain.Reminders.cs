using Grains.Abstractions;
using Microsoft.Extensions.Logging;

namespace Grains;

internal sealed partial class SessionGrain
{
    /// <summary>
    /// Removes the session's state once it has been inactive for <see cref="SessionOptions.Retention"/>. Registered
    /// when the session first leaves memory, not at creation: an active session cannot expire, and most short-lived
    /// sessions (every <c>GET /process</c> creates one) then cost the reminder table nothing while they are in use.
    /// </summary>
    private const string RetentionReminder = "retention";

    /// <summary>
    /// Registered while tasks that may outlive one reminder period are unfinished: if the silo holding the session
    /// dies, the reminder activates the session elsewhere, which resumes or interrupts its tasks without waiting
    /// for a caller. A shorter task would be over before the reminder could fire, so it goes without one (and the
    /// reminder table is spared two writes per short task, such as every <c>GET /process</c>).
    /// </summary>
    private const string WakeReminder = "wake";

    // The shortest period Orleans accepts by default (ReminderOptions.MinimumReminderPeriod).
    private static readonly TimeSpan ReminderPeriodFloor = TimeSpan.FromMinutes(1);

    private bool _wakeRegistered;
    private bool _retentionPending;
    private Task _wakeUpdate = Task.CompletedTask;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case RetentionReminder:
                await ApplyRetentionAsync();
                break;
            case WakeReminder when !HasUnfinishedTasks:
                // Activation has already resumed what was unfinished; with nothing left, the reminder goes.
                await UnregisterAsync(WakeReminder);
                _wakeRegistered = false;
                break;
        }
    }

    private bool HasUnfinishedTasks => Session.Exists && Session.Tasks.Exists(task => !task.IsFinished);

    private bool NeedsWake()
    {
        var soon = clock.GetUtcNow() + ReminderPeriodFloor;
        return Session.Exists && Session.Tasks.Exists(task => !task.IsFinished
            && (task.Kind != SessionTaskKind.Sleep || (task.StartedAt ?? task.CreatedAt) + task.Duration > soon));
    }

    /// <summary>
    /// A session kept in memory by reads alone (which do not count as activity) never deactivates; once it has been
    /// inactive for the idle timeout, the next call registers its retention reminder.
    /// </summary>
    private void ScheduleRetentionIfIdle()
    {
        if (!Session.RetentionScheduled && !_retentionPending && clock.GetUtcNow() - Session.LastActiveAt >= options.Value.IdleTimeout)
        {
            _ = ScheduleRetentionAsync();
        }
    }

    private async Task ScheduleRetentionAsync()
    {
        _retentionPending = true;
        try
        {
            var left = options.Value.Retention - (clock.GetUtcNow() - Session.LastActiveAt);
            await KeepForRetentionAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            Session.RetentionScheduled = true;
            _dirty = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Tried again at the session's next activation.
            Log.ReminderUpdateFailed(logger, SessionId, RetentionReminder, exception);
        }
        finally
        {
            _retentionPending = false;
        }
    }

    private async Task KeepForRetentionAsync(TimeSpan due)
    {
        var retention = options.Value.Retention;
        await this.RegisterOrUpdateReminder(RetentionReminder, due, retention > ReminderPeriodFloor ? retention : ReminderPeriodFloor);
    }

    private async Task ApplyRetentionAsync()
    {
        if (!Session.Exists)
        {
            await ForgetRemindersAsync();
            DeactivateOnIdle();
            return;
        }

        var retention = options.Value.Retention;
        var inactiveFor = clock.GetUtcNow() - Session.LastActiveAt;
        if (_connections.Count > 0 || _running.Count > 0 || inactiveFor < retention)
        {
            var left = _connections.Count > 0 || _running.Count > 0 ? retention : retention - inactiveFor;
            await KeepForRetentionAsync(left);
            return;
        }

        Log.SessionExpired(logger, SessionId, inactiveFor);
        await EndAsync("The session expired.");
    }

    /// <summary>Registers or removes the wake reminder to match whether tasks are unfinished; changes apply in order.</summary>
    private Task UpdateWakeReminderAsync()
    {
        _wakeUpdate = ApplyWakeReminderAsync(_wakeUpdate);
        return _wakeUpdate;
    }

    private async Task ApplyWakeReminderAsync(Task previous)
    {
        await previous;
        var wanted = NeedsWake();
        if (wanted == _wakeRegistered)
        {
            return;
        }

        try
        {
            if (wanted)
            {
                await this.RegisterOrUpdateReminder(WakeReminder, ReminderPeriodFloor, ReminderPeriodFloor);
            }
            else
            {
                await UnregisterAsync(WakeReminder);
            }

            _wakeRegistered = wanted;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The task still runs; only its recovery after a silo failure waits for the next caller.
            Log.ReminderUpdateFailed(logger, SessionId, WakeReminder, exception);
        }
    }

    private async Task ForgetRemindersAsync()
    {
        await _wakeUpdate;
        await UnregisterAsync(WakeReminder);
        await UnregisterAsync(RetentionReminder);
        _wakeRegistered = false;
    }

    private async Task UnregisterAsync(string reminderName)
    {
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
