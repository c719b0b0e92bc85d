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

    /// <summary>Why the task failed, was cancelled or interrupted.</summary>
    [Id(7)] public string? Error { get; init; }

    /// <summary>How many hashing rounds a <see cref="SessionTaskKind.Cpu"/> task runs.</summary>
    [Id(8)] public long Work { get; init; }

    /// <summary>0–100.</summary>
    [Id(9)] public int Progress { get; init; }

    /// <summary>What a finished task produced (a cpu task's final hash, in hex).</summary>
    [Id(10)] public string? Result { get; init; }

    /// <summary>The task's disconnect policy: cancelled after this long without an open socket; null means it continues.</summary>
    [Id(11)] public TimeSpan? CancelAfterDisconnect { get; init; }

    public bool IsFinished => Status is not (SessionTaskStatus.Queued or SessionTaskStatus.Running);
}
