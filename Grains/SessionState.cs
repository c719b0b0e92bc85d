using Grains.Abstractions;

namespace Grains;

[GenerateSerializer, Alias("SessionState")]
public sealed class SessionState
{
    /// <summary>False until the session is created: a grain activated for an unknown id stores nothing.</summary>
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
    [Id(2)] public DateTimeOffset LastActiveAt { get; set; }
    [Id(3)] public long EchoedMessages { get; set; }
    [Id(4)] public HashSet<string> OpenConnections { get; set; } = [];
    [Id(5)] public List<TaskRecord> Tasks { get; set; } = [];
    [Id(6)] public long LastTaskNumber { get; set; }

    /// <summary>SHA-256 of the resume token, for sessions created with one; the token itself is never stored.</summary>
    [Id(7)] public byte[]? ResumeTokenHash { get; set; }
}
