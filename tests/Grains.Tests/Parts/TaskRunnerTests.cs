using Grains.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Grains.Tests.Parts;

public sealed class TaskRunnerTests
{
    private static readonly TaskSpec TenMinutes = TaskSpec.Sleep(TimeSpan.FromMinutes(10));

    private readonly FakeTimeProvider _clock = PartsClock.New();
    private readonly SessionState _session;
    private readonly TaskRunner _tasks;

    public TaskRunnerTests()
    {
        _session = PartsClock.NewSession(_clock);
        _tasks = new TaskRunner(() => _session, new TaskOptions { MaxActivePerSession = 2, HistoryPerSession = 1 }, _clock, new SessionEventLog(() => _session, _clock, capacity: 100));
    }

    [Fact]
    public void A_sleep_starts_running_and_cpu_work_queues()
    {
        var sleep = _tasks.Add(TenMinutes, idempotencyKey: null);
        var cpu = _tasks.Add(TaskSpec.Cpu(100), idempotencyKey: null);

        Assert.Equal(SessionTaskStatus.Running, sleep.Task!.Status);
        Assert.Equal(PartsClock.Start, sleep.Task.StartedAt);
        Assert.Equal(SessionTaskStatus.Queued, cpu.Task!.Status);
        Assert.Equal(["1", "2"], _session.Tasks.Select(task => task.Id));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task A_sleep_that_ran_its_course_needs_no_write_of_its_own_and_a_cancelled_one_does(bool cancel, bool mustWrite)
    {
        using var limiter = new CpuWorkLimiter(Options.Create(new TaskOptions()));
        var task = _tasks.Add(TaskSpec.Sleep(TimeSpan.FromSeconds(5)), null).Task!;
        var running = _tasks.Start(task);
        var run = _tasks.RunAsync(task, running, limiter, _ => Task.CompletedTask);

        if (cancel)
        {
            running.Cancel("Cancelled by the caller.");
        }
        else
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var end = (await run.WaitAsync(Deadline.Default))!.Value;
        Assert.Equal(mustWrite, end.MustWrite);
        Assert.Equal(cancel ? SessionTaskStatus.Cancelled : SessionTaskStatus.Succeeded, end.Task.Status);
        Assert.Equal(cancel ? SessionEventKind.TaskCancelled : SessionEventKind.TaskCompleted, _session.Events[^1].Kind);
    }

    [Fact]
    public void A_task_beyond_the_active_limit_is_refused()
    {
        _tasks.Launch(_tasks.Add(TenMinutes, null).Task!);
        _tasks.Launch(_tasks.Add(TenMinutes, null).Task!);

        Assert.Equal(TaskStartOutcome.TooManyActiveTasks, _tasks.Add(TenMinutes, null).Outcome);
    }

    [Fact]
    public void An_idempotency_key_repeats_its_task_within_the_window_and_is_forgotten_after()
    {
        var first = _tasks.Add(TenMinutes, "key");
        var again = _tasks.Add(TenMinutes, "key");
        var otherSpec = _tasks.Add(TaskSpec.Cpu(1), "key");
        _clock.Advance(new TaskOptions().IdempotencyWindow);
        var afterWindow = _tasks.Add(TenMinutes, "key");

        Assert.Equal(TaskStartOutcome.Repeated, again.Outcome);
        Assert.Equal(first.Task!.Id, again.Task!.Id);
        Assert.Equal(TaskStartOutcome.KeyReusedWithOtherSpec, otherSpec.Outcome);
        Assert.Equal(TaskStartOutcome.Started, afterWindow.Outcome);
    }

    [Fact]
    public async Task A_sleep_ends_when_the_clock_reaches_its_end_and_not_before()
    {
        var task = _tasks.Add(TenMinutes, null).Task!;
        var sleeping = TaskWork.SleepAsync(task, _tasks.Launch(task), _clock);

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        var halfway = sleeping.IsCompleted;
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.False(halfway);
        Assert.Equal(SessionTaskStatus.Succeeded, await sleeping.WaitAsync(Deadline.Default));
    }

    [Fact]
    public void A_sleeps_progress_follows_the_clock_and_reaches_100_only_when_it_ends()
    {
        var task = _tasks.Add(TenMinutes, null).Task!;
        var running = _tasks.Launch(task);

        _clock.Advance(TimeSpan.FromMinutes(4));
        var live = _tasks.FindWithLiveProgress(task.Id)!;
        _clock.Advance(TimeSpan.FromMinutes(7));
        var overdue = _tasks.FindWithLiveProgress(task.Id)!;
        var finished = _tasks.Finish(task.Id, running, SessionTaskStatus.Succeeded, result: null)!;

        Assert.Equal(40, live.Progress);
        Assert.Equal(99, overdue.Progress);
        Assert.Equal(100, finished.Progress);
        Assert.Equal(_clock.GetUtcNow(), _session.LastActiveAt);
        Assert.Equal(0, _tasks.Count);
    }

    [Fact]
    public async Task Cancelling_records_the_reason_once_the_outcome_is_recorded()
    {
        var task = _tasks.Add(TenMinutes, null).Task!;
        var running = _tasks.Launch(task);
        var sleeping = TaskWork.SleepAsync(task, running, _clock);

        var cancelling = _tasks.CancelAsync(task.Id, "Cancelled by the caller.");
        var outcome = await sleeping.WaitAsync(Deadline.Default);
        running.Completion.TrySetResult(_tasks.Finish(task.Id, running, outcome, result: null)!);

        Assert.Equal(TaskCancelOutcome.Cancelled, await cancelling.WaitAsync(Deadline.Default));
        Assert.Equal("Cancelled by the caller.", _tasks.Find(task.Id)!.Error);
        Assert.Equal(TaskCancelOutcome.AlreadyFinished, await _tasks.CancelAsync(task.Id, "again"));
        Assert.Equal(TaskCancelOutcome.NotFound, await _tasks.CancelAsync("99", "unknown"));
    }

    [Fact]
    public async Task A_wait_ends_after_its_time_on_the_session_clock()
    {
        var task = _tasks.Add(TaskSpec.Cpu(1), null).Task!;
        _tasks.Launch(task);

        var waiting = _tasks.WaitAsync(task.Id, TimeSpan.FromSeconds(5), CancellationToken.None);
        var early = waiting.IsCompleted;
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.False(early);
        await waiting.WaitAsync(Deadline.Default);
    }

    [Fact]
    public void Finished_tasks_beyond_the_history_are_dropped_oldest_first_with_their_events()
    {
        foreach (var spec in new[] { TenMinutes, TenMinutes })
        {
            var task = _tasks.Add(spec, null).Task!;
            _tasks.Finish(task.Id, _tasks.Start(task), SessionTaskStatus.Cancelled, result: null);
        }

        Assert.Equal(["2"], _session.Tasks.Select(task => task.Id));
        Assert.Equal([SessionEventKind.TaskStarted, SessionEventKind.TaskCancelled], _session.Events.Select(e => e.Kind));
        Assert.All(_session.Events, e => Assert.Equal("2", e.TaskId));
    }

    [Fact]
    public void After_a_deactivation_sleeps_resume_and_a_cpu_task_mid_run_is_interrupted()
    {
        var sleep = _tasks.Add(TenMinutes, null).Task!;
        var cpu = _tasks.Add(TaskSpec.Cpu(100), null).Task!;
        _session.Tasks[1] = cpu with { Status = SessionTaskStatus.Running, StartedAt = _clock.GetUtcNow() };

        var (resumed, interrupted) = new TaskRunner(() => _session, new TaskOptions(), _clock, new SessionEventLog(() => _session, _clock, capacity: 100)).Resume();

        Assert.Equal([sleep.Id], resumed.Select(pair => pair.Task.Id));
        Assert.Equal(SessionTaskStatus.Interrupted, Assert.Single(interrupted).Status);
    }

    [Fact]
    public void Work_outlasts_a_span_while_cpu_work_or_a_longer_sleep_runs()
    {
        var sleep = _tasks.Add(TaskSpec.Sleep(TimeSpan.FromSeconds(2)), null).Task!;
        var running = _tasks.Launch(sleep);

        Assert.True(_tasks.WorkOutlasts(TimeSpan.FromSeconds(1)));
        Assert.False(_tasks.WorkOutlasts(TimeSpan.FromSeconds(2)));
        _tasks.Finish(sleep.Id, running, SessionTaskStatus.Succeeded, null);
        _tasks.Launch(_tasks.Add(TaskSpec.Cpu(1), null).Task!);
        Assert.True(_tasks.WorkOutlasts(TimeSpan.FromDays(1)));
    }
}
