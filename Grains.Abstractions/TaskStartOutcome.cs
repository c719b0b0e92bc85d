namespace Grains.Abstractions;

/// <remarks>Sent to front ends by number: a value, once shipped, never changes.</remarks>
[GenerateSerializer, Alias("TaskStartOutcome")]
public enum TaskStartOutcome
{
    Started = 0,
    SessionNotFound = 1,
    TooManyActiveTasks = 2,

    /// <summary>The idempotency key was used before with the same spec: the original task, nothing started.</summary>
    Repeated = 3,

    /// <summary>The idempotency key was used before with a different spec.</summary>
    KeyReusedWithOtherSpec = 4,

    /// <summary>The idempotency key's task has left the session's history, so it cannot be returned.</summary>
    RepeatedTaskForgotten = 5,
}
