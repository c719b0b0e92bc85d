using Grains.Abstractions;
using Microsoft.Extensions.Logging;

namespace Grains;

internal sealed partial class SessionGrain
{
    /// <summary>
    /// Earlier builds kept a reminder per session for its retention; retention now lives in the store (the state's
    /// expiry), so a row left from then is removed when it fires.
    /// </summary>
    private const string LegacyRetentionReminder = "retention";

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
    private Task _wakeUpdate = Task.CompletedTask;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case LegacyRetentionReminder:
                await UnregisterAsync(LegacyRetentionReminder);
                LeaveMemoryIfUnused();
                break;
            case WakeReminder when !Session.HasUnfinishedTasks:
                // Activation has already resumed what was unfinished; with nothing left, the reminder goes.
                await UnregisterAsync(WakeReminder);
                _wakeRegistered = false;
                LeaveMemoryIfUnused();
                break;
        }
    }

    private bool NeedsWake()
    {
        var soon = clock.GetUtcNow() + ReminderPeriodFloor;
        return Session.Exists && Session.Tasks.Exists(task => !task.IsFinished
            && (task.Kind != SessionTaskKind.Sleep || (task.StartedAt ?? task.CreatedAt) + task.Duration > soon));
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
