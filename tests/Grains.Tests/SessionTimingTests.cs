using Grains.Abstractions;

namespace Grains.Tests;

/// <summary>Task timing through a real grain, on the fake clock: sleeps, progress and events move only when it does.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class SessionTimingTests(FakeClockFixture fixture)
{
    [Fact]
    public async Task A_sleep_task_reports_progress_while_it_runs()
    {
        var grain = await NewSessionAsync();
        var start = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromSeconds(100)), null);

        fixture.Clock.Advance(TimeSpan.FromSeconds(40));
        var midway = await grain.GetTask(start.Task!.Id);
        fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        var finished = await grain.WaitForTask(start.Task.Id, TimeSpan.FromHours(1), default).WaitAsync(Deadline.Default);

        Assert.Equal(SessionTaskStatus.Running, midway!.Status);
        Assert.Equal(40, midway.Progress);
        Assert.Equal(SessionTaskStatus.Succeeded, finished!.Status);
        Assert.Equal(100, finished.Progress);
    }

    [Fact]
    public async Task A_sleep_task_reports_started_progress_and_completed_in_sequence()
    {
        var grain = await NewSessionAsync();
        var recorder = EventRecorder.Create(fixture.Grains);
        var connected = await grain.Connect("s1", recorder.Reference, events: true, lastSeq: null);

        await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromSeconds(5)), null);
        var events = await fixture.AdvanceUntilDoneAsync(recorder.ReadChainAsync(connected!.Seq, EventRecorder.IsFinal), TimeSpan.FromMilliseconds(250));

        Assert.Equal(SessionEventKind.TaskStarted, events[0].Kind);
        Assert.Equal(SessionEventKind.TaskCompleted, events[^1].Kind);
        var progress = events.Where(e => e.Kind == SessionEventKind.TaskProgress).Select(e => e.Task.Progress).ToList();
        Assert.Contains(progress, p => p is > 0 and < 100);
        Assert.Equal(progress.Order(), progress);
        var previous = connected.Seq;
        foreach (var sessionEvent in events)
        {
            Assert.Equal(previous, sessionEvent.PreviousSeq);
            previous = sessionEvent.Seq;
        }
    }

    [Fact]
    public async Task Several_sleep_tasks_of_one_session_run_at_the_same_time()
    {
        var grain = await NewSessionAsync();
        var duration = TimeSpan.FromMinutes(1);

        var started = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => grain.StartTask(TaskSpec.Sleep(duration), null)));
        fixture.Clock.Advance(duration);
        var finished = await Task.WhenAll(started.Select(start => grain.WaitForTask(start.Task!.Id, TimeSpan.FromHours(1), default)))
            .WaitAsync(Deadline.Default);

        Assert.All(finished, task => Assert.Equal(SessionTaskStatus.Succeeded, task!.Status));
        Assert.All(finished, task => Assert.True(task!.FinishedAt - task.StartedAt >= duration));
        // Overlap, not speed: every task had started before the first one finished.
        Assert.True(finished.Max(task => task!.StartedAt) < finished.Min(task => task!.FinishedAt));
    }

    [Fact]
    public async Task A_task_running_when_the_grain_deactivates_finishes_after_reactivation()
    {
        var grain = await NewSessionAsync();
        var duration = TimeSpan.FromMinutes(2);
        var start = await grain.StartTask(TaskSpec.Sleep(duration), null);

        await fixture.Cluster.DeactivateAsync(grain);
        var resumed = await grain.GetTask(start.Task!.Id);
        fixture.Clock.Advance(duration);
        var finished = await grain.WaitForTask(start.Task.Id, TimeSpan.FromHours(1), default).WaitAsync(Deadline.Default);

        Assert.Equal(SessionTaskStatus.Running, resumed!.Status);
        Assert.Equal(SessionTaskStatus.Succeeded, finished!.Status);
        Assert.Equal(start.Task.StartedAt + duration, finished.FinishedAt);
    }

    private async Task<ISessionGrain> NewSessionAsync()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        return grain;
    }
}
