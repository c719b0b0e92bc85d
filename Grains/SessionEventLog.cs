using Grains.Abstractions;

namespace Grains;

/// <summary>
/// The rules of the stored event log. An event keeps the task's id, not a copy of the task: a task's record
/// changes only in status, start, progress and outcome until it ends, and each event kind fixes those, so the task
/// as the event saw it is the current record with them put back. Events therefore live only as long as their
/// task's record: dropping a record drops the log up to that task's last event, so replay never skips an event
/// in the middle (a reader that asks from before the log's start gets a reset instead).
/// </summary>
internal static class SessionEventLog
{
    public static LoggedEvent Entry(long seq, long previousSeq, SessionEventKind kind, DateTimeOffset at, TaskRecord task) =>
        new() { Seq = seq, PreviousSeq = previousSeq, Kind = kind, At = at, TaskId = task.Id, Progress = task.Progress };

    public static SessionEvent Expand(LoggedEvent entry, TaskRecord current) => new()
    {
        Seq = entry.Seq,
        PreviousSeq = entry.PreviousSeq,
        Kind = entry.Kind,
        At = entry.At,
        Task = entry.Kind switch
        {
            SessionEventKind.TaskQueued => Unfinished(current, SessionTaskStatus.Queued, 0) with { StartedAt = null },
            SessionEventKind.TaskStarted => Unfinished(current, SessionTaskStatus.Running, 0),
            SessionEventKind.TaskProgress => Unfinished(current, SessionTaskStatus.Running, entry.Progress),
            _ => current,
        },
    };

    /// <summary>Drops the log up to the last event of the tasks whose records were dropped.</summary>
    public static void DropEventsOf(IReadOnlySet<string> droppedTaskIds, List<LoggedEvent> log) =>
        log.RemoveRange(0, log.FindLastIndex(entry => droppedTaskIds.Contains(entry.TaskId)) + 1);

    private static TaskRecord Unfinished(TaskRecord task, SessionTaskStatus status, int progress) =>
        task with { Status = status, Progress = progress, FinishedAt = null, Result = null, Error = null };
}
