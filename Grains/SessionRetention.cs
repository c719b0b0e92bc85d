namespace Grains;

/// <summary>
/// How long a session's state is kept. Sessions with a resume token keep <see cref="SessionOptions.Retention"/>;
/// those without one (made by <c>GET /process</c> and <c>/ws</c>) keep <see cref="SessionOptions.AnonymousRetention"/>.
/// The store drops state at <see cref="SessionState.ExpiresAt"/>, set at every write: retention after the last
/// activity, or after now while sockets or tasks keep the session in use. A session in use writes again before half
/// its retention has passed, so its state never expires under it.
/// </summary>
internal static class SessionRetention
{
    public static TimeSpan Of(SessionState session, SessionOptions options) =>
        session.ResumeTokenHash is null ? options.AnonymousRetention : options.Retention;

    public static DateTimeOffset ExpiresAt(SessionState session, SessionOptions options, DateTimeOffset now, bool inUse) =>
        (inUse ? now : session.LastActiveAt) + Of(session, options);

    public static bool NeedsRefresh(SessionState session, SessionOptions options, DateTimeOffset now) =>
        session.ExpiresAt - now < Of(session, options) / 2;

    /// <summary>Stored state read back after its expiry counts as gone (a store may drop it late, or not at all).</summary>
    public static bool HasExpired(SessionState stored, SessionOptions options, DateTimeOffset now)
    {
        // State written before ExpiresAt existed expires by its last activity.
        var expiresAt = stored.ExpiresAt == default ? stored.LastActiveAt + Of(stored, options) : stored.ExpiresAt;
        return stored.Exists && !stored.HasUnfinishedTasks && expiresAt <= now;
    }

    /// <summary>An activation that stayed in memory past the retention of its last activity counts as gone too.</summary>
    public static bool IdleTooLong(SessionState session, SessionOptions options, DateTimeOffset now) =>
        session.LastActiveAt + Of(session, options) <= now;
}
