namespace Grains.Abstractions;

/// <summary>What happened to a task; on the wire as <c>task.queued</c>, <c>task.started</c> and so on.</summary>
public enum SessionEventKind
{
    TaskQueued,
    TaskStarted,
    TaskProgress,
    TaskCompleted,
    TaskFailed,
    TaskCancelled,
    TaskInterrupted,
}
