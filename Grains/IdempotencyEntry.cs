using Grains.Abstractions;

namespace Grains;

/// <summary>An <c>Idempotency-Key</c> a session has seen: what it asked for and which task it started.</summary>
[GenerateSerializer, Immutable, Alias("IdempotencyEntry")]
public sealed record IdempotencyEntry
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required TaskSpec Spec { get; init; }
    [Id(2)] public required string TaskId { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
}
