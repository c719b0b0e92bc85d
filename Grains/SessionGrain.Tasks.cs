using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    public async Task<TaskStartResult> StartTask(TaskSpec spec, string? idempotencyKey)
    {
        TaskRunner.ThrowIfInvalid(spec);
        if (!ExistsElseLeaveMemory())
        {
            return TaskStartResult.NotFound;
        }

        // Acknowledged only once stored, so a caller never holds the id of a task that could vanish.
        var start = await AddTaskAsync(spec, idempotencyKey, WriteAsync);
        if (start.Outcome == TaskStartOutcome.Started)
        {
            await _store.LogFailureAsync(SendAsync());
        }

        return start;
    }

    public async Task<TaskStartResult> RunTask(TaskSpec spec, bool createSession, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var created = createSession && !Session.Exists;
        var start = created ? await StartInNewSessionAsync(spec) : await StartTask(spec, idempotencyKey: null);
        if (start is not { Outcome: TaskStartOutcome.Started, Task: { } task })
        {
            return start;
        }

        var latest = await WaitForTask(task.Id, maxWait, cancellationToken) ?? task;
        if (_store.HasUnstoredChanges)
        {
            await WriteAsync();
            Send();
        }

        // Nobody else knows a session created by this call until it answers: once its one task is over it leaves
        // memory (its state stays for its retention, and a call with its id brings it back) instead of holding an
        // activation for the idle timeout, which under steady GET /process traffic would pile up.
        if (created && latest.IsFinished)
        {
            LeaveMemoryIfUnused();
        }

        return start with { Task = latest };
    }

    public Task<TaskRecord?> GetTask(string taskId) =>
        Task.FromResult(ExistsElseLeaveMemory() ? _tasks.FindWithLiveProgress(taskId) : null);

    public Task<TaskPage?> ListTasks(int offset, int limit) => Task.FromResult(ExistsElseLeaveMemory() ? _tasks.Page(offset, limit) : null);

    public async Task<TaskCancelOutcome> CancelTask(string taskId)
    {
        if (!ExistsElseLeaveMemory())
        {
            return TaskCancelOutcome.NotFound;
        }

        var outcome = await _tasks.CancelAsync(taskId, "Cancelled by the caller.");
        _store.ThrowIfLost();
        return outcome;
    }

    public async Task<TaskRecord?> WaitForTask(string taskId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!ExistsElseLeaveMemory())
        {
            return null;
        }

        await _tasks.WaitAsync(taskId, maxWait, cancellationToken);
        _store.ThrowIfLost();
        return _tasks.FindWithLiveProgress(taskId);
    }

    /// <summary>
    /// A session created by <see cref="RunTask"/> is known to nobody until that call answers, so it and its task are
    /// stored once, after the wait instead of at the start; a silo lost meanwhile fails the call and loses nothing
    /// anyone holds.
    /// </summary>
    private Task<TaskStartResult> StartInNewSessionAsync(TaskSpec spec)
    {
        TaskRunner.ThrowIfInvalid(spec);
        _store.ThrowIfLost();
        _store.MarkCreated();
        return AddTaskAsync(spec, idempotencyKey: null, write: static () => Task.CompletedTask);
    }

    /// <summary>A started task runs once <paramref name="write"/> has stored it and its wake reminder is set; on a failure it goes.</summary>
    private async Task<TaskStartResult> AddTaskAsync(TaskSpec spec, string? idempotencyKey, Func<Task> write)
    {
        var start = _tasks.Add(spec, idempotencyKey);
        if (start is not { Outcome: TaskStartOutcome.Started, Task: { } task })
        {
            return start;
        }

        try
        {
            await Task.WhenAll(write(), _wake.UpdateAsync());
        }
        catch
        {
            _tasks.Remove(task);
            throw;
        }

        metrics.TaskStarted(task.Kind);
        _ = DriveAsync(task, _tasks.Start(task));
        return start;
    }

    private async Task ResumeUnfinishedTasksAsync()
    {
        var (resumed, interrupted) = _tasks.Resume();
        metrics.TasksFinished(interrupted);
        resumed.ForEach(pair => _ = DriveAsync(pair.Task, pair.Running));
        if (interrupted.Count > 0)
        {
            await WriteAsync();
            Send();
        }

        if (resumed.Count + interrupted.Count > 0)
        {
            Log.TasksResumed(logger, SessionId, resumed.Count + interrupted.Count);
        }
    }

    /// <summary>Runs a task and records its outcome; its waiters are released once that is stored.</summary>
    private async Task DriveAsync(TaskRecord task, RunningTask running)
    {
        UpdateTimers();
        if (await _tasks.RunAsync(task, running, cpuLimiter, StoreCpuStartAsync) is not { } end)
        {
            return;
        }

        if (end.Failure is not null)
        {
            Log.TaskFailed(logger, SessionId, task.Id, end.Failure);
        }

        metrics.TaskFinished(end.Task);
        UpdateTimers();
        try
        {
            await _store.LogFailureAsync(Task.WhenAll(end.MustWrite ? WriteAsync() : SendAsync(), _wake.UpdateAsync()));
            Send();
        }
        finally
        {
            running.Complete(end.Task);
        }
    }

    /// <summary>Stored before the work begins: after a crash the task must read as interrupted, not as queued.</summary>
    private async Task StoreCpuStartAsync(RunningTask running)
    {
        _tasks.MarkStarted(running.TaskId);
        await _store.LogFailureAsync(WriteAsync());
        Send();
    }
}
