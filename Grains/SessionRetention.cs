using Grains.Abstractions;

namespace Grains;

/// <summary>
/// When a session's state may go, and when it needs waking.
/// <para>
/// Sessions with a resume token keep <see cref="SessionOptions.Retention"/>; those without one (made by
/// <c>GET /process</c> and <c>/ws</c>) keep <see cref="SessionOptions.AnonymousRetention"/>. The store drops state at
/// <see cref="SessionState.ExpiresAt"/>, set at every write: retention after the last activity, or after now while
/// sockets or tasks keep the session in use. A session in use writes again before half its retention has passed, so
/// its state never expires under it.
/// </para>
/// <para>
/// A session whose tasks may outlive one reminder period keeps the <see cref="WakeReminder"/>: if the silo holding
/// it dies, the reminder activates it elsewhere, which resumes or interrupts its tasks without waiting for a caller.
/// A shorter task would be over before the reminder could fire, so it goes without one (and the reminder table is
/// spared two writes per short task, such as every <c>GET /process</c>).
/// </para>
/// </summary>
internal sealed class SessionRetention(SessionOptions options, TimeProvider clock)
{
    public const string WakeReminder = "wake";

    /// <summary>
    /// Earlier builds kept a reminder per session for its retention; retention now lives in the store, so a row left
    /// from then is removed when it fires.
    /// </summary>
    public const string LegacyRetentionReminder = "retention";

    /// <summary>The shortest period Orleans accepts by default (<c>ReminderOptions.MinimumReminderPeriod</c>).</summary>
    public static readonly TimeSpan WakePeriod = TimeSpan.FromMinutes(1);

    public TimeSpan Of(SessionState session) => session.ResumeTokenHash is null ? options.AnonymousRetention : options.Retention;

    /// <summary>The expiry to store now; unfinished tasks count as use even when this activation no longer runs them.</summary>
    public DateTimeOffset ExpiresAt(SessionState session, bool inUse) =>
        (inUse || session.HasUnfinishedTasks ? clock.GetUtcNow() : session.LastActiveAt) + Of(session);

    /// <summary>Whether a session in use must write to keep its stored expiry ahead.</summary>
    public bool NeedsRefresh(SessionState session) => session.ExpiresAt - clock.GetUtcNow() < Of(session) / 2;

    /// <summary>Stored state read back after its expiry counts as gone (a store may drop it late, or not at all).</summary>
    public bool HasExpired(SessionState stored)
    {
        // State written before ExpiresAt existed expires by its last activity.
        var expiresAt = stored.ExpiresAt == default ? stored.LastActiveAt + Of(stored) : stored.ExpiresAt;
        return stored.Exists && !stored.HasUnfinishedTasks && expiresAt <= clock.GetUtcNow();
    }

    /// <summary>An activation that stayed in memory past the retention of its last activity counts as gone too.</summary>
    public bool IdleTooLong(SessionState session) => session.LastActiveAt + Of(session) <= clock.GetUtcNow();

    /// <summary>Whether some unfinished task may still be unfinished when a reminder could first fire.</summary>
    public bool NeedsWake(SessionState session)
    {
        var firstWake = clock.GetUtcNow() + WakePeriod;
        return session.Exists && session.Tasks.Exists(task => !task.IsFinished
            && (task.Kind != SessionTaskKind.Sleep || TaskWork.SleepEnd(task) > firstWake));
    }
}
