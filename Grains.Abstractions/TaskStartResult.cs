namespace Grains.Abstractions;

[GenerateSerializer, Immutable, Alias("TaskStartResult")]
public sealed record TaskStartResult
{
    [Id(0)] public required TaskStartOutcome Outcome { get; init; }
    [Id(1)] public TaskRecord? Task { get; init; }

    public static TaskStartResult NotFound { get; } = new() { Outcome = TaskStartOutcome.SessionNotFound };
}
