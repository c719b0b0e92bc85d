namespace Grains;

internal sealed partial class SessionGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case SessionRetention.LegacyRetentionReminder:
                await WakeReminder.RemoveAsync(this, SessionRetention.LegacyRetentionReminder);
                LeaveMemoryIfUnused();
                break;
            case SessionRetention.WakeReminder when !Session.HasUnfinishedTasks:
                // Activation has already resumed what was unfinished; with nothing left, the reminder goes.
                await _wake.RemoveAsync();
                LeaveMemoryIfUnused();
                break;
        }
    }
}
