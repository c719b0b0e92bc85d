using Grains.Abstractions;

namespace Api.Tasks;

/// <summary>Why a start request started nothing; each surface words it for its own callers.</summary>
internal enum TaskStartRefusal
{
    None,
    TooManyActiveTasks,
    IdempotencyKeyReused,
    OriginalTaskForgotten,

    /// <summary>The session was ended or never existed: the same answer as an unknown session.</summary>
    SessionGone,
}

/// <summary>
/// What a <see cref="TaskStartResult"/> means to the caller, decided here once for HTTP and the session socket:
/// the task to answer with (a repeat of a key answers with the original) or why nothing was started.
/// </summary>
internal readonly record struct TaskStartAnswer(TaskRecord? Task, bool Replayed, TaskStartRefusal Refusal)
{
    public static TaskStartAnswer Of(TaskStartResult start) => start switch
    {
        { Outcome: TaskStartOutcome.Started, Task: { } task } => new(task, Replayed: false, TaskStartRefusal.None),
        { Outcome: TaskStartOutcome.Repeated, Task: { } original } => new(original, Replayed: true, TaskStartRefusal.None),
        { Outcome: TaskStartOutcome.TooManyActiveTasks } => Refused(TaskStartRefusal.TooManyActiveTasks),
        { Outcome: TaskStartOutcome.KeyReusedWithOtherSpec } => Refused(TaskStartRefusal.IdempotencyKeyReused),
        { Outcome: TaskStartOutcome.RepeatedTaskForgotten } => Refused(TaskStartRefusal.OriginalTaskForgotten),
        _ => Refused(TaskStartRefusal.SessionGone),
    };

    private static TaskStartAnswer Refused(TaskStartRefusal refusal) => new(null, Replayed: false, refusal);
}
