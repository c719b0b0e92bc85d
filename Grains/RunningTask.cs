using Grains.Abstractions;

namespace Grains;

/// <summary>What an activation holds for an unfinished task: how to stop it, how far it got, how to await it.</summary>
internal sealed class RunningTask : IDisposable
{
    private long _workDone;

    public required string TaskId { get; init; }

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>When a sleep is due to end; null for cpu work, whose end is not known in advance.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Why the task was cancelled or failed, recorded as its error.</summary>
    public string? CancelReason { get; private set; }

    public TaskCompletionSource<TaskRecord> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Rounds a cpu task has done; written by its pool thread, read by the grain.</summary>
    public long WorkDone => Interlocked.Read(ref _workDone);

    public void ReportWork(long done) => Interlocked.Exchange(ref _workDone, done);

    /// <summary>Records why the work failed; it stays the task's error.</summary>
    public void Fail(string reason) => CancelReason ??= reason;

    public void Cancel(string reason)
    {
        CancelReason ??= reason;
        Cancellation.Cancel();
    }

    /// <summary>Gives its waiters the task's final record; the task is over.</summary>
    public void Complete(TaskRecord record)
    {
        Completion.TrySetResult(record);
        Dispose();
    }

    public void Dispose() => Cancellation.Dispose();
}
