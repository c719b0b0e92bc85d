namespace Grains.Abstractions;

public enum TaskStartOutcome
{
    Started,
    SessionNotFound,
    TooManyActiveTasks,

    /// <summary>The idempotency key was used before with the same spec: the original task, nothing started.</summary>
    Repeated,

    /// <summary>The idempotency key was used before with a different spec.</summary>
    KeyReusedWithOtherSpec,

    /// <summary>The idempotency key's task has left the session's history, so it cannot be returned.</summary>
    RepeatedTaskForgotten,
}
