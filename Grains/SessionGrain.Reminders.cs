namespace Grains;

internal sealed partial class SessionGrain
{
    private bool _wakeRegistered;
    private Task _wakeUpdate = Task.CompletedTask;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case SessionRetention.LegacyRetentionReminder:
                await UnregisterAsync(SessionRetention.LegacyRetentionReminder);
                LeaveMemoryIfUnused();
                break;
            case SessionRetention.WakeReminder when !Session.HasUnfinishedTasks:
                // Activation has already resumed what was unfinished; with nothing left, the reminder goes.
                await UnregisterAsync(SessionRetention.WakeReminder);
                _wakeRegistered = false;
                LeaveMemoryIfUnused();
                break;
        }
    }

    /// <summary>Registers or removes the wake reminder to match the session's unfinished tasks; changes apply in order.</summary>
    private Task UpdateWakeReminderAsync() => _wakeUpdate = ApplyWakeReminderAsync(_wakeUpdate);

    private async Task ApplyWakeReminderAsync(Task previous)
    {
        await previous;
        var wanted = _retention.NeedsWake(Session);
        if (wanted == _wakeRegistered)
        {
            return;
        }

        try
        {
            if (wanted)
            {
                await this.RegisterOrUpdateReminder(SessionRetention.WakeReminder, SessionRetention.WakePeriod, SessionRetention.WakePeriod);
            }
            else
            {
                await UnregisterAsync(SessionRetention.WakeReminder);
            }

            _wakeRegistered = wanted;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The task still runs; only its recovery after a silo failure waits for the next caller.
            Log.ReminderUpdateFailed(logger, SessionId, SessionRetention.WakeReminder, exception);
        }
    }

    private async Task ForgetRemindersAsync()
    {
        await _wakeUpdate;
        await UnregisterAsync(SessionRetention.WakeReminder);
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
