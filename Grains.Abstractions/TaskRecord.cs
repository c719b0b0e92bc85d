namespace Grains.Abstractions;

/// <summary>One task of a session, as stored and as shown to callers.</summary>
[GenerateSerializer, Immutable, Alias("TaskRecord")]
public sealed record TaskRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required SessionTaskKind Kind { get; init; }
    [Id(2)] public required SessionTaskStatus Status { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset? StartedAt { get; init; }
    [Id(5)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How long a <see cref="SessionTaskKind.Sleep"/> task waits.</summary>
    [Id(6)] public TimeSpan Duration { get; init; }

    [Id(7)] public string? Error { get; init; }

    public bool IsFinished => Status is not (SessionTaskStatus.Queued or SessionTaskStatus.Running);
}
