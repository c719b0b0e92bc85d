namespace Grains.Abstractions;

/// <summary>What a caller asks a session to run.</summary>
[GenerateSerializer, Immutable, Alias("TaskSpec")]
public sealed record TaskSpec
{
    [Id(0)] public required SessionTaskKind Kind { get; init; }

    /// <summary>For <see cref="SessionTaskKind.Sleep"/>: how long to wait.</summary>
    [Id(1)] public TimeSpan Duration { get; init; }

    /// <summary>For <see cref="SessionTaskKind.Cpu"/>: how many hashing rounds to run.</summary>
    [Id(2)] public long Work { get; init; }

    /// <summary>When set, the task is cancelled once the session has had no open socket for this long.</summary>
    [Id(3)] public TimeSpan? CancelAfterDisconnect { get; init; }

    public static TaskSpec Sleep(TimeSpan duration) => new() { Kind = SessionTaskKind.Sleep, Duration = duration };

    public static TaskSpec Cpu(long work) => new() { Kind = SessionTaskKind.Cpu, Work = work };
}
