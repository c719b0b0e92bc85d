using Grains.Abstractions;

namespace Grains;

/// <summary>
/// An event as the session's log stores it: which task, and only what of that task changes before it ends.
/// <see cref="SessionEventLog.Expand"/> rebuilds the task as the event saw it from the task's record.
/// </summary>
[GenerateSerializer, Immutable, Alias("LoggedEvent")]
public sealed record LoggedEvent
{
    [Id(0)] public required long Seq { get; init; }
    [Id(1)] public required long PreviousSeq { get; init; }
    [Id(2)] public required SessionEventKind Kind { get; init; }
    [Id(3)] public required DateTimeOffset At { get; init; }
    [Id(4)] public required string TaskId { get; init; }

    /// <summary>The progress a <see cref="SessionEventKind.TaskProgress"/> event reported.</summary>
    [Id(5)] public int Progress { get; init; }
}
