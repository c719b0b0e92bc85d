using System.ComponentModel.DataAnnotations;

namespace Grains;

/// <summary>How session grains keep their state, events and connections; bound from the <c>Sessions</c> section.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>
    /// How often a session with open sockets or running tasks writes what changed without a write of its own
    /// (echo counts, last activity, progress events). Task and session changes are written at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events a session keeps for replay to sockets that reconnect with <c>lastSeq</c>.</summary>
    [Range(1, 100_000)]
    public int EventLog { get; set; } = 1000;

    /// <summary>A socket not renewed within this time counts as gone (its front end died); front ends renew at a third of it.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00")]
    public TimeSpan ConnectionLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A session with no socket and no running task leaves memory after this long without calls.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session with a resume token is removed from storage once it has been inactive this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// A session without a resume token (made by <c>GET /process</c> and <c>/ws</c>) is removed from storage once it
    /// has been inactive this long: such sessions come with traffic, and their state must not pile up with it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan AnonymousRetention { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Sessions the single-process default store (<c>Cluster:MemoryStorage=InProcess</c>) holds at most; past it the
    /// session idle longest that has no unfinished task is dropped. Redis keeps what its own memory policy allows.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxStoredSessions { get; set; } = 50_000;
}
