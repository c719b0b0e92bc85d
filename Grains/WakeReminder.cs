using Microsoft.Extensions.Logging;

namespace Grains;

/// <summary>
/// One session's wake reminder (see <see cref="SessionRetention"/>), kept registered exactly while the session needs
/// waking. Changes apply in the order they were asked for, each after the one before, so overlapping task starts
/// and ends of a reentrant session cannot leave the reminder registered for a session that no longer needs it.
/// Only for use on the activation's own scheduler.
/// </summary>
internal sealed class WakeReminder(IGrainBase grain, IPersistentState<SessionState> state, SessionRetention retention, ILogger logger)
{
    private Task _update = Task.CompletedTask;

    /// <summary>
    /// Whether the reminder is registered, as far as this activation knows: a session stored with unfinished tasks
    /// may have had it registered when they started.
    /// </summary>
    public bool IsRegistered { get; private set; } = state.State.HasUnfinishedTasks;

    /// <summary>Registers or removes the reminder to match the session as it is when this change's turn comes.</summary>
    public Task UpdateAsync() => _update = ApplyAsync(_update);

    /// <summary>Removes the reminder whatever it is needed for, once every change asked for has applied.</summary>
    public async Task RemoveAsync()
    {
        await _update;
        await RemoveAsync(grain, SessionRetention.WakeReminder);
        IsRegistered = false;
    }

    /// <summary>
    /// Takes a reminder tick: the legacy retention reminder goes, and the wake reminder goes once nothing is unfinished
    /// (activation has already resumed what was).
    /// </summary>
    /// <returns>Whether the tick removed its reminder, leaving the activation nothing to stay for.</returns>
    public async Task<bool> ReceiveAsync(string reminderName)
    {
        switch (reminderName)
        {
            case SessionRetention.LegacyRetentionReminder:
                await RemoveAsync(grain, reminderName);
                return true;
            case SessionRetention.WakeReminder when !state.State.HasUnfinishedTasks:
                await RemoveAsync();
                return true;
            default:
                return false;
        }
    }

    private static async Task RemoveAsync(IGrainBase grain, string reminderName)
    {
        if (await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }

    private async Task ApplyAsync(Task previous)
    {
        await previous;
        var wanted = retention.NeedsWake(state.State);
        if (wanted == IsRegistered)
        {
            return;
        }

        try
        {
            if (wanted)
            {
                await grain.RegisterOrUpdateReminder(SessionRetention.WakeReminder, SessionRetention.WakePeriod, SessionRetention.WakePeriod);
            }
            else
            {
                await RemoveAsync(grain, SessionRetention.WakeReminder);
            }

            IsRegistered = wanted;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The task still runs; only its recovery after a silo failure waits for the next caller.
            Log.ReminderUpdateFailed(logger, grain.GrainContext.GrainId.Key.ToString(), SessionRetention.WakeReminder, exception);
        }
    }
}
