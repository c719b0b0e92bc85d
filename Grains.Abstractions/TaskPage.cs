namespace Grains.Abstractions;

/// <summary>A slice of a session's tasks, newest first.</summary>
[GenerateSerializer, Immutable, Alias("TaskPage")]
public sealed record TaskPage
{
    [Id(0)] public required IReadOnlyList<TaskRecord> Tasks { get; init; }
    [Id(1)] public required int Total { get; init; }
}
