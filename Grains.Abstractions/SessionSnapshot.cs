namespace Grains.Abstractions;

[GenerateSerializer, Immutable, Alias("SessionSnapshot")]
public sealed record SessionSnapshot
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(2)] public required DateTimeOffset LastActiveAt { get; init; }
    [Id(3)] public required int OpenConnections { get; init; }
    [Id(4)] public required long EchoedMessages { get; init; }
    [Id(5)] public required int ActiveTasks { get; init; }
    [Id(6)] public required int FinishedTasks { get; init; }

    /// <summary>Whether calls must present the resume token.</summary>
    [Id(7)] public bool RequiresToken { get; init; }

    /// <summary>The sequence number of the session's latest event.</summary>
    [Id(8)] public long LastSeq { get; init; }
}
