using System.Globalization;
using Grains.Abstractions;

namespace Grains;

/// <summary>How a task's record reads at each step of its life. Records are immutable: each step is a copy.</summary>
internal static class TaskRecords
{
    /// <summary>A sleep runs from its creation; cpu work waits, queued, for a slot.</summary>
    public static TaskRecord New(TaskSpec spec, long number, DateTimeOffset now)
    {
        var isSleep = spec.Kind == SessionTaskKind.Sleep;
        return new TaskRecord
        {
            Id = number.ToString(CultureInfo.InvariantCulture),
            Kind = spec.Kind,
            Status = isSleep ? SessionTaskStatus.Running : SessionTaskStatus.Queued,
            CreatedAt = now,
            StartedAt = isSleep ? now : null,
            Duration = isSleep ? spec.Duration : TimeSpan.Zero,
            Work = isSleep ? 0 : spec.Work,
            CancelAfterDisconnect = spec.CancelAfterDisconnect,
        };
    }

    public static TaskRecord Started(TaskRecord task, DateTimeOffset now) =>
        task with { Status = SessionTaskStatus.Running, StartedAt = now };

    public static TaskRecord Finished(TaskRecord task, RunningTask running, SessionTaskStatus outcome, string? result, DateTimeOffset now) => task with
    {
        Status = outcome,
        FinishedAt = now,
        Progress = outcome == SessionTaskStatus.Succeeded ? 100 : TaskProgress.Live(task, running, now).Progress,
        Result = result,
        Error = outcome is SessionTaskStatus.Cancelled or SessionTaskStatus.Failed ? running.CancelReason : null,
    };

    public static TaskRecord Interrupted(TaskRecord task, DateTimeOffset now) => task with
    {
        Status = SessionTaskStatus.Interrupted,
        FinishedAt = now,
        Error = "The session was deactivated while this CPU task ran; CPU work is not resumed.",
    };

    /// <summary>How an unfinished task of a session that ends reads, for operators to see it end.</summary>
    public static TaskRecord Cancelled(TaskRecord task, DateTimeOffset now) =>
        task with { Status = SessionTaskStatus.Cancelled, FinishedAt = now };
}
