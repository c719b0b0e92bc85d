using Grains.Abstractions;

namespace Grains;

/// <summary>
/// A session's tasks: which are running in this activation, their records, how far they got, when they end and
/// how to wait for or cancel one. It changes the records, logs each change as an event and returns what changed;
/// the grain stores, sends and drives the work.
/// Only for use on the activation's own scheduler.
/// </summary>
internal sealed class TaskRunner(Func<SessionState> session, TaskOptions options, TimeProvider clock, SessionEventLog events)
{
    private readonly Dictionary<string, RunningTask> _running = new(StringComparer.Ordinal);
    private ProgressReports? _progress;
    private bool _stopped;

    /// <summary>Tasks this activation runs: every unfinished task of the session, unless it is leaving.</summary>
    public int Count => _running.Count;

    /// <summary>The running tasks; a dictionary's own collection, so a loop over it allocates nothing.</summary>
    public Dictionary<string, RunningTask>.ValueCollection Running => _running.Values;

    /// <summary>Adds a task to the session's records (not yet stored, not yet running), or says why not.</summary>
    public TaskStartResult Add(TaskSpec spec, string? idempotencyKey)
    {
        var state = session();
        var now = clock.GetUtcNow();
        IdempotencyKeys.ForgetOld(state, options, now);
        if (IdempotencyKeys.Repeat(state, idempotencyKey, spec) is { } repeat)
        {
            return repeat.Task is { } original ? repeat with { Task = WithLiveProgress(original) } : repeat;
        }

        if (_running.Count >= options.MaxActivePerSession)
        {
            return new TaskStartResult { Outcome = TaskStartOutcome.TooManyActiveTasks };
        }

        var record = TaskRecords.New(spec, ++state.LastTaskNumber, now);
        state.Tasks.Add(record);
        state.LastActiveAt = now;
        if (idempotencyKey is not null)
        {
            state.IdempotencyKeys.Add(new IdempotencyEntry { Key = idempotencyKey, Spec = spec, TaskId = record.Id, CreatedAt = now });
        }

        return new TaskStartResult { Outcome = TaskStartOutcome.Started, Task = record };
    }

    public static void ThrowIfInvalid(TaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spec.Kind == SessionTaskKind.Sleep ? spec.Duration.Ticks : spec.Work, 0);
    }

    /// <summary>Takes back a task <see cref="Add"/> made, when it could not be stored.</summary>
    public void Remove(TaskRecord record)
    {
        session().Tasks.Remove(record);
        session().IdempotencyKeys.RemoveAll(entry => entry.TaskId == record.Id);
    }

    /// <summary>Starts or queues a new task once stored; the caller drives its work.</summary>
    public RunningTask Start(TaskRecord record)
    {
        events.Append(record.Status == SessionTaskStatus.Running ? SessionEventKind.TaskStarted : SessionEventKind.TaskQueued, record);
        return Launch(record);
    }

    /// <summary>Holds a stored task as running; the caller drives its work.</summary>
    public RunningTask Launch(TaskRecord record)
    {
        var running = new RunningTask { TaskId = record.Id, EndsAt = record.Kind == SessionTaskKind.Sleep ? TaskWork.SleepEnd(record) : null };
        _running.Add(record.Id, running);
        return running;
    }

    /// <summary>
    /// After a deactivation (idle collection, silo shutdown or failure): a sleep resumes with the time that remains
    /// and a queued cpu task starts again; a cpu task that was mid-run cannot be resumed and is interrupted.
    /// </summary>
    /// <returns>The tasks to drive again, and those interrupted.</returns>
    public (List<(TaskRecord Task, RunningTask Running)> Resumed, List<TaskRecord> Interrupted) Resume()
    {
        var (resumed, interrupted) = (new List<(TaskRecord, RunningTask)>(), new List<TaskRecord>());
        foreach (var task in session().Tasks.Where(task => !task.IsFinished).ToList())
        {
            if (task is { Kind: SessionTaskKind.Cpu, Status: SessionTaskStatus.Running })
            {
                var stopped = Replace(TaskRecords.Interrupted(task, clock.GetUtcNow()));
                events.Append(SessionEventKind.TaskInterrupted, stopped);
                interrupted.Add(stopped);
            }
            else
            {
                resumed.Add((task, Launch(task)));
            }
        }

        return (resumed, interrupted);
    }

    /// <summary>Runs a launched task's work to its end, then records the outcome (see <see cref="Finish"/>).</summary>
    /// <param name="storeStart">For cpu work: called once the task holds a slot, before the work begins.</param>
    /// <returns>How it ended; null when the session is leaving or deleted, with nothing recorded.</returns>
    public async Task<TaskEnd?> RunAsync(TaskRecord task, RunningTask running, CpuWorkLimiter limiter, Func<RunningTask, Task> storeStart)
    {
        var (outcome, result, failure) = task.Kind == SessionTaskKind.Sleep
            ? (await TaskWork.SleepAsync(task, running, clock), null, null)
            : await TaskWork.ComputeAsync(task.Work, running, limiter, storeStart);
        if (Finish(task.Id, running, outcome, result) is not { } finished)
        {
            running.Dispose();
            return null;
        }

        return new TaskEnd(finished, failure, MustWrite: outcome != SessionTaskStatus.Succeeded || task.Kind != SessionTaskKind.Sleep);
    }

    /// <summary>Waits up to <paramref name="maxWait"/>, on the session's clock, for a running task to finish.</summary>
    public async Task WaitAsync(string taskId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (Find(taskId) is { IsFinished: false } && RunningOf(taskId) is { } running)
        {
            // A sleep due to end within the wait needs no timer of its own; a cancelled call answers with what is known.
            var timeout = running.EndsAt is { } end && end - clock.GetUtcNow() < maxWait ? Timeout.InfiniteTimeSpan : maxWait;
            await ((Task)running.Completion.Task.WaitAsync(timeout, clock, cancellationToken))
                .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Cancels a running task and waits until its outcome is recorded.</summary>
    public async Task<TaskCancelOutcome> CancelAsync(string taskId, string reason)
    {
        if (Find(taskId) is not { } task)
        {
            return TaskCancelOutcome.NotFound;
        }

        if (task.IsFinished || RunningOf(taskId) is not { } running)
        {
            return TaskCancelOutcome.AlreadyFinished;
        }

        running.Cancel(reason);
        var finished = await running.Completion.Task;
        return finished.Status == SessionTaskStatus.Cancelled ? TaskCancelOutcome.Cancelled : TaskCancelOutcome.AlreadyFinished;
    }

    /// <summary>A queued cpu task got its slot: it runs from now.</summary>
    public void MarkStarted(string taskId) =>
        events.Append(SessionEventKind.TaskStarted, Replace(TaskRecords.Started(Find(taskId)!, clock.GetUtcNow())));

    /// <summary>Records a task's outcome, then drops the oldest history beyond its bound, with its events.</summary>
    /// <returns>The finished record; null when the session is leaving (the next activation resumes it) or deleted.</returns>
    public TaskRecord? Finish(string taskId, RunningTask running, SessionTaskStatus outcome, string? result)
    {
        if (_stopped || Find(taskId) is not { } task)
        {
            return null;
        }

        _running.Remove(taskId);
        var finished = Replace(TaskRecords.Finished(task, running, outcome, result, clock.GetUtcNow()));
        session().LastActiveAt = finished.FinishedAt!.Value;
        _progress?.Forget(taskId);
        events.Append(SessionEventLog.KindOfOutcome(outcome), finished);
        if (TaskHistory.DropOldest(session().Tasks, options.HistoryPerSession) is { } dropped)
        {
            events.DropEventsOf(dropped);
        }

        return finished;
    }

    /// <summary>Logs the progress of running tasks whose progress changed since it was last logged.</summary>
    /// <returns>Whether it logged any.</returns>
    public bool ReportProgress()
    {
        var changed = (_progress ??= new ProgressReports(clock)).Changed(this);
        changed.ForEach(task => events.Append(SessionEventKind.TaskProgress, task));
        return changed.Count > 0;
    }

    /// <summary>Stops every task of a session that ends.</summary>
    /// <returns>The unfinished tasks as they read cancelled now: their records go with the session, but operators still see them end.</returns>
    public List<TaskRecord> End(string reason)
    {
        List<TaskRecord> cancelled = [.. session().Tasks.Where(task => !task.IsFinished).Select(task => TaskRecords.Cancelled(task, clock.GetUtcNow()))];
        StopAll(reason);
        return cancelled;
    }

    /// <summary>Stops every running task without recording an outcome; waiters get the task as it stands.</summary>
    public void StopAll(string reason)
    {
        _stopped = true;
        foreach (var (taskId, running) in _running)
        {
            running.Cancel(reason);
            if (Find(taskId) is { } record)
            {
                running.Completion.TrySetResult(record);
            }
        }

        _running.Clear();
    }

    /// <summary>
    /// Whether some running task may still run after <paramref name="span"/> from now: cpu work always may. A timer
    /// that would first tick after every task has ended is not worth its registration.
    /// </summary>
    public bool WorkOutlasts(TimeSpan span)
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

    public RunningTask? RunningOf(string taskId) => _running.GetValueOrDefault(taskId);

    public TaskRecord? Find(string taskId) => session().Tasks.Find(task => task.Id == taskId);

    public TaskRecord? FindWithLiveProgress(string taskId) => Find(taskId) is { } task ? WithLiveProgress(task) : null;

    /// <summary>The session's tasks, newest first, as they are now.</summary>
    public List<TaskRecord> NewestFirst(int offset = 0, int limit = int.MaxValue) =>
        [.. Enumerable.Reverse(session().Tasks).Skip(Math.Max(0, offset)).Take(Math.Max(0, limit)).Select(WithLiveProgress)];

    public TaskPage Page(int offset, int limit) => new() { Tasks = NewestFirst(offset, limit), Total = session().Tasks.Count };

    public TaskRecord WithLiveProgress(TaskRecord task) =>
        _running.TryGetValue(task.Id, out var running) ? TaskProgress.Live(task, running, clock.GetUtcNow()) : task;

    private TaskRecord Replace(TaskRecord task)
    {
        var tasks = session().Tasks;
        tasks[tasks.FindIndex(t => t.Id == task.Id)] = task;
        return task;
    }
}
