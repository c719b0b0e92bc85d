using System.Globalization;
using Grains.Abstractions;

namespace Grains;

internal sealed partial class SessionGrain
{
    private readonly Dictionary<string, RunningTask> _running = new(StringComparer.Ordinal);
    private bool _stopped;

    public Task<TaskStartResult> StartTask(TaskSpec spec, string? idempotencyKey) => StartTaskAsync(spec, idempotencyKey, storeBeforeAnswer: true);

    private async Task<TaskStartResult> StartTaskAsync(TaskSpec spec, string? idempotencyKey, bool storeBeforeAnswer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.Kind == SessionTaskKind.Sleep ? spec.Duration.Ticks : spec.Work, 0);
        if (!ExistsOrDeactivate())
        {
            return TaskStartResult.NotFound;
        }

        var now = clock.GetUtcNow();
        ForgetOldIdempotencyKeys(now);
        if (idempotencyKey is not null && Session.IdempotencyKeys.Find(entry => entry.Key == idempotencyKey) is { } seen)
        {
            return Repeat(seen, spec);
        }

        // Every unfinished task is in _running, so its size is the session's queued plus running count.
        if (_running.Count >= taskOptions.Value.MaxActivePerSession)
        {
            return new TaskStartResult { Outcome = TaskStartOutcome.TooManyActiveTasks };
        }

        var isSleep = spec.Kind == SessionTaskKind.Sleep;
        var record = new TaskRecord
        {
            Id = (++Session.LastTaskNumber).ToString(CultureInfo.InvariantCulture),
            Kind = spec.Kind,
            Status = isSleep ? SessionTaskStatus.Running : SessionTaskStatus.Queued,
            CreatedAt = now,
            StartedAt = isSleep ? now : null,
            Duration = isSleep ? spec.Duration : TimeSpan.Zero,
            Work = isSleep ? 0 : spec.Work,
            CancelAfterDisconnect = spec.CancelAfterDisconnect,
        };
        Session.Tasks.Add(record);
        Session.LastActiveAt = now;
        if (idempotencyKey is not null)
        {
            Session.IdempotencyKeys.Add(new IdempotencyEntry { Key = idempotencyKey, Spec = spec, TaskId = record.Id, CreatedAt = now });
        }

        // Acknowledged only once stored, so a caller never holds the id of a task that could vanish.
        try
        {
            await Task.WhenAll(storeBeforeAnswer ? WriteAsync() : Task.CompletedTask, UpdateWakeReminderAsync());
        }
        catch
        {
            Session.Tasks.Remove(record);
            Session.IdempotencyKeys.RemoveAll(entry => entry.TaskId == record.Id);
            throw;
        }

        Record(isSleep ? SessionEventKind.TaskStarted : SessionEventKind.TaskQueued, record);
        metrics.TaskStarted(record.Kind);
        Run(record);
        if (storeBeforeAnswer)
        {
            await PublishSafelyAsync();
        }
        else
        {
            _dirty = true;
        }

        return new TaskStartResult { Outcome = TaskStartOutcome.Started, Task = record };
    }

    public async Task<TaskStartResult> RunTask(TaskSpec spec, bool createSession, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        // A session created here is known to nobody until this call answers, so it and its task are stored
        // once, before the answer, instead of at the start; a silo lost meanwhile fails this call and loses nothing
        // anyone holds.
        var created = createSession && !Session.Exists;
        if (created)
        {
            Begin();
        }

        var start = await StartTaskAsync(spec, idempotencyKey: null, storeBeforeAnswer: !created);
        if (start is not { Outcome: TaskStartOutcome.Started, Task: { } task })
        {
            return start;
        }

        var latest = await WaitForTask(task.Id, maxWait, cancellationToken) ?? task;

        // Nobody else knows a session created by this call until it answers: once its one task is over it leaves
        // memory (its state stays for its retention, and a call with its id brings it back) instead of holding an
        // activation for the idle timeout, which under steady GET /process traffic would pile up.
        if (_dirty)
        {
            await WriteAsync();
            Publish();
        }

        if (created && latest.IsFinished)
        {
            LeaveMemoryIfUnused();
        }

        return start with { Task = latest };
    }

    private TaskStartResult Repeat(IdempotencyEntry seen, TaskSpec spec)
    {
        if (seen.Spec != spec)
        {
            return new TaskStartResult { Outcome = TaskStartOutcome.KeyReusedWithOtherSpec };
        }

        return FindTask(seen.TaskId) is { } original
            ? new TaskStartResult { Outcome = TaskStartOutcome.Repeated, Task = WithLiveProgress(original) }
            : new TaskStartResult { Outcome = TaskStartOutcome.RepeatedTaskForgotten };
    }

    private void ForgetOldIdempotencyKeys(DateTimeOffset now)
    {
        var keys = Session.IdempotencyKeys;
        var window = taskOptions.Value.IdempotencyWindow;
        var stale = keys.FindIndex(entry => now - entry.CreatedAt < window);
        keys.RemoveRange(0, stale < 0 ? keys.Count : stale);
        var excess = keys.Count - taskOptions.Value.IdempotencyKeysPerSession + 1;
        if (excess > 0)
        {
            keys.RemoveRange(0, excess);
        }
    }

    public Task<TaskRecord?> GetTask(string taskId) =>
        Task.FromResult(ExistsOrDeactivate() && FindTask(taskId) is { } task ? WithLiveProgress(task) : null);

    public Task<TaskPage?> ListTasks(int offset, int limit)
    {
        if (!ExistsOrDeactivate())
        {
            return Task.FromResult<TaskPage?>(null);
        }

        var page = Enumerable.Reverse(Session.Tasks).Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).Select(WithLiveProgress).ToList();
        return Task.FromResult<TaskPage?>(new TaskPage { Tasks = page, Total = Session.Tasks.Count });
    }

    public async Task<TaskCancelOutcome> CancelTask(string taskId)
    {
        if (!ExistsOrDeactivate() || FindTask(taskId) is not { } task)
        {
            return TaskCancelOutcome.NotFound;
        }

        if (task.IsFinished || !_running.TryGetValue(taskId, out var running))
        {
            return TaskCancelOutcome.AlreadyFinished;
        }

        running.Cancel("Cancelled by the caller.");
        var finished = await running.Completion.Task;
        ThrowIfStateLost();
        return finished.Status == SessionTaskStatus.Cancelled ? TaskCancelOutcome.Cancelled : TaskCancelOutcome.AlreadyFinished;
    }

    public async Task<TaskRecord?> WaitForTask(string taskId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (!ExistsOrDeactivate())
        {
            return null;
        }

        if (FindTask(taskId) is not { IsFinished: false } || !_running.TryGetValue(taskId, out var running))
        {
            return FindTask(taskId) is { } known ? WithLiveProgress(known) : null;
        }

        // A sleep due to end within the wait needs no timer of its own; a cancelled call answers with what is known.
        var timeout = running.EndsAt is { } end && end - clock.GetUtcNow() < maxWait ? Timeout.InfiniteTimeSpan : maxWait;
        await ((Task)running.Completion.Task.WaitAsync(timeout, clock, cancellationToken))
            .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        ThrowIfStateLost();
        return FindTask(taskId) is { } latest ? WithLiveProgress(latest) : null;
    }

    /// <summary>
    /// After a deactivation (idle collection, silo shutdown or failure): a sleep resumes with the time that
    /// remains and a queued cpu task starts; a cpu task that was mid-run cannot be resumed and is interrupted.
    /// </summary>
    private async Task ResumeUnfinishedTasksAsync()
    {
        var unfinished = Session.Tasks.Where(task => !task.IsFinished).ToList();
        var interrupted = false;
        foreach (var task in unfinished)
        {
            if (task is { Kind: SessionTaskKind.Cpu, Status: SessionTaskStatus.Running })
            {
                var stopped = task with
                {
                    Status = SessionTaskStatus.Interrupted,
                    FinishedAt = clock.GetUtcNow(),
                    Error = "The session was deactivated while this CPU task ran; CPU work is not resumed.",
                };
                ReplaceTask(stopped);
                metrics.TaskFinished(stopped);
                Record(SessionEventKind.TaskInterrupted, stopped);
                interrupted = true;
            }
            else
            {
                Run(task);
            }
        }

        _wakeRegistered = unfinished.Count > 0;
        if (interrupted)
        {
            await WriteAsync();
            Publish();
        }

        if (unfinished.Count > 0)
        {
            Log.TasksResumed(logger, SessionId, unfinished.Count);
        }
    }

    private void Run(TaskRecord record)
    {
        var running = new RunningTask { EndsAt = record.Kind == SessionTaskKind.Sleep ? SleepEnd(record) : null };
        _running.Add(record.Id, running);
        UpdateTimers();
        _ = record.Kind == SessionTaskKind.Sleep ? SleepAsync(record, running) : ComputeAsync(record, running);
    }

    private async Task SleepAsync(TaskRecord record, RunningTask running)
    {
        var until = SleepEnd(record);
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

        await FinishTaskAsync(record.Id, running, outcome, result: null);
    }

    private static DateTimeOffset SleepEnd(TaskRecord record) => (record.StartedAt ?? record.CreatedAt) + record.Duration;

    /// <summary>
    /// Whether some running task may still run after <paramref name="span"/> from now: cpu work always may. A timer
    /// that would first tick after every task has ended is not worth its registration.
    /// </summary>
    private bool WorkOutlasts(TimeSpan span)
    {
        var horizon = clock.GetUtcNow() + span;
        foreach (var running in _running.Values)
        {
            if (running.EndsAt is not { } end || end > horizon)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ComputeAsync(TaskRecord record, RunningTask running)
    {
        var outcome = SessionTaskStatus.Succeeded;
        string? result = null;
        var token = running.Cancellation.Token;
        try
        {
            await cpuLimiter.WaitAsync(token);
            try
            {
                token.ThrowIfCancellationRequested();
                var started = FindTask(record.Id)! with { Status = SessionTaskStatus.Running, StartedAt = clock.GetUtcNow() };
                ReplaceTask(started);
                Record(SessionEventKind.TaskStarted, started);

                // Stored before the work begins: after a crash the task must read as interrupted, not as queued.
                await WriteAndPublishSafelyAsync();
                // A thread of its own (the limiter bounds how many): hashing for minutes on pool threads would leave
                // too few of them for grain turns and sockets until the pool slowly grew.
                result = await Task.Factory.StartNew(
                    () => CpuWork.Run(record.Work, running, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            finally
            {
                cpuLimiter.Release();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            outcome = SessionTaskStatus.Cancelled;
        }
        catch (Exception exception)
        {
            Log.TaskFailed(logger, SessionId, record.Id, exception);
            outcome = SessionTaskStatus.Failed;
            result = null;
            running.Fail($"The work failed: {exception.Message}");
        }

        await FinishTaskAsync(record.Id, running, outcome, result);
    }

    private async Task FinishTaskAsync(string taskId, RunningTask running, SessionTaskStatus outcome, string? result)
    {
        if (_stopped || FindTask(taskId) is not { } task)
        {
            // Deactivating (the next activation resumes the task) or deleted: nothing to record.
            running.Dispose();
            return;
        }

        _running.Remove(taskId);
        var finished = task with
        {
            Status = outcome,
            FinishedAt = clock.GetUtcNow(),
            Progress = outcome == SessionTaskStatus.Succeeded ? 100 : WithLiveProgress(task, running).Progress,
            Result = result,
            Error = outcome is SessionTaskStatus.Cancelled or SessionTaskStatus.Failed ? running.CancelReason : null,
        };
        ReplaceTask(finished);
        Touch();
        metrics.TaskFinished(finished);
        _reportedProgress.Remove(taskId);
        Record(outcome switch
        {
            SessionTaskStatus.Succeeded => SessionEventKind.TaskCompleted,
            SessionTaskStatus.Cancelled => SessionEventKind.TaskCancelled,
            _ => SessionEventKind.TaskFailed,
        }, finished);
        DropOldHistory();
        UpdateTimers();
        try
        {
            // A sleep that ran its course is what its stored start already implies: were the silo lost before the
            // next write, the next activation would finish it the same way. Every other outcome is written now.
            var derivable = outcome == SessionTaskStatus.Succeeded && task.Kind == SessionTaskKind.Sleep;
            if (derivable)
            {
                _dirty = true;
                await Task.WhenAll(PublishAsync(), UpdateWakeReminderAsync());
            }
            else
            {
                await Task.WhenAll(WriteAsync(), UpdateWakeReminderAsync());
                Publish();
            }
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

    /// <summary>Stops every running task without recording an outcome; waiters get the task as it stands.</summary>
    private void StopRunningTasks(string reason)
    {
        _stopped = true;
        foreach (var (taskId, running) in _running)
        {
            running.Cancel(reason);
            if (FindTask(taskId) is { } record)
            {
                running.Completion.TrySetResult(record);
            }
        }

        _running.Clear();
    }

    private TaskRecord WithLiveProgress(TaskRecord task) =>
        _running.TryGetValue(task.Id, out var running) ? WithLiveProgress(task, running) : task;

    private TaskRecord WithLiveProgress(TaskRecord task, RunningTask running)
    {
        if (task.IsFinished)
        {
            return task;
        }

        double fraction = task.Kind switch
        {
            SessionTaskKind.Sleep when task.StartedAt is { } started => (clock.GetUtcNow() - started) / task.Duration,
            SessionTaskKind.Cpu when task.Work > 0 => (double)running.WorkDone / task.Work,
            _ => 0,
        };
        return task with { Progress = (int)Math.Clamp(fraction * 100, 0, 99) };
    }

    private void DropOldHistory()
    {
        var excess = Session.Tasks.Count(task => task.IsFinished) - taskOptions.Value.HistoryPerSession;
        if (excess <= 0)
        {
            return;
        }

        var dropped = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Session.Tasks.Count && dropped.Count < excess;)
        {
            if (Session.Tasks[i].IsFinished)
            {
                dropped.Add(Session.Tasks[i].Id);
                Session.Tasks.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }

        SessionEventLog.DropEventsOf(dropped, Session.Events);
    }

    private TaskRecord? FindTask(string taskId) => Session.Tasks.Find(task => task.Id == taskId);

    private void ReplaceTask(TaskRecord task) => Session.Tasks[Session.Tasks.FindIndex(t => t.Id == task.Id)] = task;
}
