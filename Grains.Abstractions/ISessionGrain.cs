using Orleans.Concurrency;

namespace Grains.Abstractions;

/// <summary>One user session, keyed by <see cref="SessionId"/>: its state, connections and tasks.</summary>
[Alias("ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Creates an open session (no resume token); creating one that exists changes nothing.</summary>
    [Alias("Create")]
    Task<SessionSnapshot> Create();

    /// <summary>Creates a session that every later call must prove with the returned token; null if the id is taken.</summary>
    [Alias("CreateWithResumeToken")]
    Task<SessionCreated?> CreateWithResumeToken();

    /// <summary>
    /// True when the session exists and the caller may use it: it has no resume token, or
    /// <paramref name="resumeToken"/> matches (compared in constant time).
    /// </summary>
    [Alias("Authorize"), ReadOnly]
    Task<bool> Authorize(string? resumeToken);

    /// <summary>The session as it is now, or null when no such session exists.</summary>
    [Alias("GetSnapshot"), ReadOnly]
    Task<SessionSnapshot?> GetSnapshot();

    /// <summary>Ends the session: cancels its tasks and removes its stored state. False if it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> Delete();

    /// <summary>
    /// Registers an open socket, or renews its lease. With <paramref name="events"/> the observer receives every
    /// event, and the answer carries those after <paramref name="lastSeq"/> (or a reset when the log no longer
    /// holds them). Null when no such session exists.
    /// </summary>
    [Alias("Connect")]
    Task<SessionConnection?> Connect(string connectionId, ISessionObserver observer, bool events, long? lastSeq);

    [Alias("Disconnect")]
    Task Disconnect(string connectionId);

    /// <summary>The seed's echo: <c>Echo: text</c>. Throws <see cref="SessionNotFoundException"/> for an unknown session.</summary>
    [Alias("Echo")]
    Task<string> Echo(string text, CancellationToken cancellationToken = default);

    /// <summary>
    /// The seed's echo on UTF-8 bytes as they came off a socket (<c>/ws</c>): <c>Echo: </c> and the same bytes,
    /// counted by the session before it answers. Throws <see cref="SessionNotFoundException"/> for an unknown session.
    /// </summary>
    [Alias("EchoUtf8")]
    Task<byte[]> EchoUtf8(ReadOnlyMemory<byte> text, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a task owned by the session; it is stored before this returns. A repeated
    /// <paramref name="idempotencyKey"/> returns the task it started instead of starting another.
    /// </summary>
    [Alias("StartTask")]
    Task<TaskStartResult> StartTask(TaskSpec spec, string? idempotencyKey);

    /// <summary>The task as it is now; null when the session or the task is unknown.</summary>
    [Alias("GetTask"), ReadOnly]
    Task<TaskRecord?> GetTask(string taskId);

    /// <summary>The session's tasks, newest first; null when the session is unknown.</summary>
    [Alias("ListTasks"), ReadOnly]
    Task<TaskPage?> ListTasks(int offset, int limit);

    [Alias("CancelTask")]
    Task<TaskCancelOutcome> CancelTask(string taskId);

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for the task to finish and returns it as it then is,
    /// finished or not; null when the session or the task is unknown.
    /// </summary>
    [Alias("WaitForTask")]
    Task<TaskRecord?> WaitForTask(string taskId, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a task and waits up to <paramref name="maxWait"/> for it, in one call (the shape of <c>GET /process</c>).
    /// With <paramref name="createSession"/> an unknown session is created first and stored together with the task.
    /// The answer carries the task as it stands when the wait ends.
    /// </summary>
    [Alias("RunTask")]
    Task<TaskStartResult> RunTask(TaskSpec spec, bool createSession, TimeSpan maxWait, CancellationToken cancellationToken);
}
