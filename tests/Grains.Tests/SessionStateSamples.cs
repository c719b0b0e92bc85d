using Grains.Abstractions;

namespace Grains.Tests;

/// <summary>
/// Session state as the grain leaves it; <see cref="SessionRetentionTests"/> checks that a real
/// <c>GET /process</c> session is stored no larger than <see cref="AfterOneProcessCall"/>.
/// </summary>
internal static class SessionStateSamples
{
    public static SessionState AfterOneProcessCall(DateTimeOffset now)
    {
        var task = new TaskRecord
        {
            Id = "1",
            Kind = SessionTaskKind.Sleep,
            Status = SessionTaskStatus.Succeeded,
            CreatedAt = now,
            StartedAt = now,
            FinishedAt = now.AddSeconds(1),
            Duration = TimeSpan.FromSeconds(1),
            Progress = 100,
        };
        return new SessionState
        {
            Exists = true,
            CreatedAt = now,
            LastActiveAt = now.AddSeconds(1),
            ExpiresAt = now.AddMinutes(15),
            Tasks = [task],
            LastTaskNumber = 1,
            LastSeq = 2,
            SeqReserved = 1025,
            Events =
            [
                SessionEventLog.Entry(1, 0, SessionEventKind.TaskStarted, now, task),
                SessionEventLog.Entry(2, 1, SessionEventKind.TaskCompleted, now.AddSeconds(1), task),
            ],
        };
    }
}
