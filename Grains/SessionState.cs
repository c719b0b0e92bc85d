using Grains.Abstractions;

namespace Grains;

// Ids 4, 8 (events with a copy of their task) and 12 (a retention reminder flag) were used by earlier builds;
// they are skipped when such state is read and never given to another member.
[GenerateSerializer, Alias("SessionState")]
public sealed class SessionState : IExpiringState
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

    /// <summary>The sequence number of the latest event.</summary>
    [Id(9)] public long LastSeq { get; set; }

    /// <summary>
    /// Sequence numbers up to here may already have been sent. A new activation starts above it, so a number
    /// sent but lost with a failed silo is never given to another event.
    /// </summary>
    [Id(10)] public long SeqReserved { get; set; }

    [Id(11)] public List<IdempotencyEntry> IdempotencyKeys { get; set; } = [];

    /// <summary>When the store may drop this state: set at every write (see <see cref="SessionRetention"/>).</summary>
    [Id(13)] public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The latest events, oldest first, bounded by <see cref="SessionOptions.EventLog"/> (see <see cref="SessionEventLog"/>).</summary>
    [Id(14)] public List<LoggedEvent> Events { get; set; } = [];

    public bool HasUnfinishedTasks => Tasks.Exists(task => !task.IsFinished);
}
