namespace Grains.Abstractions;

/// <summary>
/// One entry of a session's event log. <see cref="Seq"/> grows per session; <see cref="PreviousSeq"/> is the
/// entry before it, so a reader can tell a complete sequence from one with a hole even when numbers jump
/// (they skip ahead after a re-activation, so a number handed out before a crash is never reused).
/// </summary>
[GenerateSerializer, Immutable, Alias("SessionEvent")]
public sealed record SessionEvent
{
    [Id(0)] public required long Seq { get; init; }
    [Id(1)] public required long PreviousSeq { get; init; }
    [Id(2)] public required SessionEventKind Kind { get; init; }
    [Id(3)] public required DateTimeOffset At { get; init; }
    [Id(4)] public required TaskRecord Task { get; init; }
}
