using System.Globalization;
using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    private readonly Dictionary<string, RunningTask> _running = new(StringComparer.Ordinal);
    private bool _deactivating;

    public async Task<TaskStartResult> StartSleepTask(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (!ExistsOrDeactivate())
        {
            return TaskStartResult.NotFound;
        }

        var now = clock.GetUtcNow();
        var record = new TaskRecord
        {
            Id = (++Session.LastTaskNumber).ToString(CultureInfo.InvariantCulture),
            Kind = SessionTaskKind.Sleep,
            Status = SessionTaskStatus.Running,
            CreatedAt = now,
            StartedAt = now,
            Duration = duration,
        };
        Session.Tasks.Add(record);
        Session.LastActiveAt = now;

        // The task is acknowledged only once it is stored, so a caller never holds the id of a task that could vanish.
        try
        {
            await WriteAsync();
        }
        catch
        {
            Session.Tasks.Remove(record);
            throw;
        }

        StartSleeping(record);
        return new TaskStartResult { Outcome = TaskStartOutcome.Started, Task = record };
    }

    public async Task<TaskRecord?> WaitForTask(string taskId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!ExistsOrDeactivate())
        {
            return null;
        }

        if (FindTask(taskId) is not { IsFinished: false } || !_running.TryGetValue(taskId, out var running))
        {
            return FindTask(taskId);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(maxWait);
        await Task.WhenAny(running.Completion.Task, Task.Delay(Timeout.InfiniteTimeSpan, limit.Token));
        return FindTask(taskId);
    }

    private void ResumeUnfinishedTasks()
    {
        var unfinished = Session.Tasks.Where(task => !task.IsFinished).ToList();
        foreach (var task in unfinished)
        {
            StartSleeping(task);
        }

        if (unfinished.Count > 0)
        {
            Log.TasksResumed(logger, SessionId, unfinished.Count);
        }
    }

    private void StartSleeping(TaskRecord record)
    {
        var running = new RunningTask();
        _running.Add(record.Id, running);
        UpdateHousekeeping();
        _ = SleepAsync(record.Id, (record.StartedAt ?? record.CreatedAt) + record.Duration, running);
    }

    private async Task SleepAsync(string taskId, DateTimeOffset until, RunningTask running)
    {
        var outcome = SessionTaskStatus.Succeeded;
        try
        {
            // A timer may fire a little early by the wall clock; the recorded times must honour the full wait.
            for (var left = until - clock.GetUtcNow(); left > TimeSpan.Zero; left = until - clock.GetUtcNow())
            {
                await Task.Delay(left, clock, running.Cancellation.Token);
            }
        }
        catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
        {
            outcome = SessionTaskStatus.Cancelled;
        }

        if (_deactivating)
        {
            // Left as running in storage: the next activation resumes it with the time that remains.
            return;
        }

        await FinishTaskAsync(taskId, running, outcome, error: null);
    }

    private async Task FinishTaskAsync(string taskId, RunningTask running, SessionTaskStatus outcome, string? error)
    {
        _running.Remove(taskId);
        var index = Session.Tasks.FindIndex(task => task.Id == taskId);
        var finished = Session.Tasks[index] with { Status = outcome, FinishedAt = clock.GetUtcNow(), Error = error };
        Session.Tasks[index] = finished;
        DropOldHistory();
        UpdateHousekeeping();
        try
        {
            await WriteAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.StateWriteFailed(logger, SessionId, exception);
        }
        finally
        {
            running.Completion.TrySetResult(finished);
            running.Dispose();
        }
    }

    private void StopRunningTasksForDeactivation()
    {
        _deactivating = true;
        foreach (var (taskId, running) in _running)
        {
            running.Cancellation.Cancel();
            if (FindTask(taskId) is { } record)
            {
                running.Completion.TrySetResult(record);
            }
        }

        _running.Clear();
    }

    private void DropOldHistory()
    {
        var excess = Session.Tasks.Count(task => task.IsFinished) - options.Value.TaskHistory;
        for (var i = 0; i < Session.Tasks.Count && excess > 0;)
        {
            if (Session.Tasks[i].IsFinished)
            {
                Session.Tasks.RemoveAt(i);
                excess--;
            }
            else
            {
                i++;
            }
        }
    }

    private TaskRecord? FindTask(string taskId) => Session.Tasks.Find(task => task.Id == taskId);
}
