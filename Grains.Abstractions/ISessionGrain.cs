using Orleans.Concurrency;

namespace Grains.Abstractions;

/// <summary>One user session, keyed by <see cref="SessionId"/>: its state, connections and tasks.</summary>
[Alias("ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Creates the session; creating one that already exists changes nothing.</summary>
    [Alias("Create")]
    Task<SessionSnapshot> Create();

    /// <summary>The session as it is now, or null when no such session exists.</summary>
    [Alias("GetSnapshot"), ReadOnly]
    Task<SessionSnapshot?> GetSnapshot();

    /// <summary>Registers an open connection; false when no such session exists.</summary>
    [Alias("AttachConnection")]
    Task<bool> AttachConnection(string connectionId);

    [Alias("DetachConnection")]
    Task DetachConnection(string connectionId);

    /// <summary>The seed's echo: <c>Echo: text</c>. Throws <see cref="SessionNotFoundException"/> for an unknown session.</summary>
    [Alias("Echo")]
    Task<string> Echo(string text);

    /// <summary>Starts a non-blocking wait of <paramref name="duration"/> owned by the session.</summary>
    [Alias("StartSleepTask")]
    Task<TaskStartResult> StartSleepTask(TimeSpan duration);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for the task to finish and returns it as it then is,
    /// finished or not; null when the session or the task is unknown.
    /// </summary>
    [Alias("WaitForTask")]
    Task<TaskRecord?> WaitForTask(string taskId, TimeSpan maxWait, CancellationToken cancellationToken);
}
