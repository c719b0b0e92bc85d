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
    [Id(5)] public List<TaskRecord> Tasks { get; set; } = [];
    [Id(6)] public long LastTaskNumber { get; set; }

    /// <summary>SHA-256 of the resume token, for sessions created with one; the token itself is never stored.</summary>
    [Id(7)] public byte[]? ResumeTokenHash { get; set; }

    /// <summary>The latest events, oldest first, bounded by <see cref="SessionOptions.EventLog"/>.</summary>
    [Id(8)] public List<SessionEvent> Events { get; set; } = [];

    /// <summary>The sequence number of the latest event.</summary>
    [Id(9)] public long LastSeq { get; set; }

    /// <summary>
    /// Sequence numbers up to here may already have been sent. A new activation starts above it, so a number
    /// sent but lost with a failed silo is never given to another event.
    /// </summary>
    [Id(10)] public long SeqReserved { get; set; }

    [Id(11)] public List<IdempotencyEntry> IdempotencyKeys { get; set; } = [];

    /// <summary>Whether the retention reminder is registered; it is, from the session's first deactivation on.</summary>
    [Id(12)] public bool RetentionScheduled { get; set; }
}
