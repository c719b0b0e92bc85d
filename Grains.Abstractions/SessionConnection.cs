namespace Grains.Abstractions;

/// <summary>What a socket learns when it connects to (or renews its lease on) a session.</summary>
[GenerateSerializer, Immutable, Alias("SessionConnection")]
public sealed record SessionConnection
{
    /// <summary>The session's latest sequence number when the call was answered.</summary>
    [Id(0)] public required long Seq { get; init; }

    /// <summary>Events after the caller's <c>lastSeq</c>, oldest first, when the log still holds them.</summary>
    [Id(1)] public IReadOnlyList<SessionEvent> Missed { get; init; } = [];

    /// <summary>
    /// Set when the caller's <c>lastSeq</c> is not in the log (older than the log, or lost with a failed silo):
    /// the caller gets <see cref="Tasks"/> as a fresh snapshot instead of the missed events.
    /// </summary>
    [Id(2)] public string? ResetReason { get; init; }

    /// <summary>The session's tasks, newest first; only with <see cref="ResetReason"/>.</summary>
    [Id(3)] public IReadOnlyList<TaskRecord> Tasks { get; init; } = [];

    /// <summary>Renew the connection within this time or the session counts the socket as gone.</summary>
    [Id(4)] public required TimeSpan Lease { get; init; }
}
