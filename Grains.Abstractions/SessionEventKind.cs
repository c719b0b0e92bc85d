namespace Grains.Abstractions;

/// <summary>What happened to a task; on the wire as <c>task.queued</c>, <c>task.started</c> and so on.</summary>
/// <remarks>Stored in session state and sent to front ends by number: a value, once shipped, never changes.</remarks>
[GenerateSerializer, Alias("SessionEventKind")]
public enum SessionEventKind
{
    TaskQueued = 0,
    TaskStarted = 1,
    TaskProgress = 2,
    TaskCompleted = 3,
    TaskFailed = 4,
    TaskCancelled = 5,
    TaskInterrupted = 6,
}
