using Microsoft.Extensions.DependencyInjection;
using Grains.Abstractions;

namespace Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SessionTaskTests(ClusterFixture fixture)
{
    private const long EndlessWork = 1_000_000_000_000;

    [Fact]
    public async Task A_cpu_task_hashes_and_reports_its_digest()
    {
        var grain = await fixture.NewSessionAsync();

        var start = await grain.StartTask(TaskSpec.Cpu(1000), null);
        var finished = await grain.WaitForTask(start.Task!.Id, Deadline.Default, default);

        Assert.Equal(SessionTaskStatus.Succeeded, finished!.Status);
        Assert.Equal(100, finished.Progress);
        var expected = new byte[32];
        for (var i = 0; i < 1000; i++)
        {
            expected = System.Security.Cryptography.SHA256.HashData(expected);
        }

        Assert.Equal(Convert.ToHexStringLower(expected), finished.Result);
    }

    [Fact]
    public async Task Only_the_configured_number_of_cpu_tasks_run_at_once_and_the_rest_queue()
    {
        var grain = await fixture.NewSessionAsync();
        var started = new List<TaskRecord>();
        for (var i = 0; i < ClusterFixture.MaxConcurrentCpu + 1; i++)
        {
            started.Add((await grain.StartTask(TaskSpec.Cpu(EndlessWork), null)).Task!);
        }

        var page = await Deadline.PollAsync(
            () => grain.ListTasks(0, 10),
            p => p!.Tasks.Count(t => t.Status == SessionTaskStatus.Running) == ClusterFixture.MaxConcurrentCpu);
        foreach (var task in started)
        {
            await grain.CancelTask(task.Id);
        }

        Assert.Equal(ClusterFixture.MaxConcurrentCpu, page!.Tasks.Count(t => t.Status == SessionTaskStatus.Running));
        Assert.Equal(1, page.Tasks.Count(t => t.Status == SessionTaskStatus.Queued));
    }

    [Fact]
    public async Task Cancelling_stops_a_running_cpu_task_and_records_why()
    {
        var grain = await fixture.NewSessionAsync();
        var start = await grain.StartTask(TaskSpec.Cpu(EndlessWork), null);
        await Deadline.PollAsync(() => grain.GetTask(start.Task!.Id), t => t!.Status == SessionTaskStatus.Running);

        var outcome = await grain.CancelTask(start.Task!.Id).WaitAsync(Deadline.Default);
        var task = await grain.GetTask(start.Task.Id);

        Assert.Equal(TaskCancelOutcome.Cancelled, outcome);
        Assert.Equal(SessionTaskStatus.Cancelled, task!.Status);
        Assert.Equal("Cancelled by the caller.", task.Error);
        Assert.True(task.Progress < 100);
    }

    [Fact]
    public async Task Cancelling_stops_a_running_sleep_task_at_once()
    {
        var grain = await fixture.NewSessionAsync();
        var start = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromHours(1)), null);

        var outcome = await grain.CancelTask(start.Task!.Id).WaitAsync(Deadline.Default);

        Assert.Equal(TaskCancelOutcome.Cancelled, outcome);
        Assert.Equal(SessionTaskStatus.Cancelled, (await grain.GetTask(start.Task.Id))!.Status);
        Assert.Equal(TaskCancelOutcome.AlreadyFinished, await grain.CancelTask(start.Task.Id));
        Assert.Equal(TaskCancelOutcome.NotFound, await grain.CancelTask("999"));
    }

    [Fact]
    public async Task A_session_refuses_a_task_beyond_its_active_limit()
    {
        var grain = await fixture.NewSessionAsync();
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(TaskStartOutcome.Started, (await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromHours(1)), null)).Outcome);
        }

        var refused = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromHours(1)), null);
        await grain.Delete();

        Assert.Equal(TaskStartOutcome.TooManyActiveTasks, refused.Outcome);
    }

    [Fact]
    public async Task Tasks_are_listed_newest_first_in_pages()
    {
        var grain = await fixture.NewSessionAsync();
        for (var i = 0; i < 5; i++)
        {
            await grain.StartTask(TaskSpec.Cpu(1), null);
        }

        var page = await grain.ListTasks(1, 2);

        Assert.Equal(5, page!.Total);
        Assert.Equal(["4", "3"], page.Tasks.Select(t => t.Id));
    }

    [Fact]
    public async Task Deleting_a_session_cancels_its_tasks_and_leaves_nothing_behind()
    {
        var grain = await fixture.NewSessionAsync();
        var start = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromHours(1)), null);
        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var beforeDelete = await reminders.ReadRows(grain.GetGrainId());

        Assert.True(await grain.Delete());

        Assert.Equal(["wake"], beforeDelete.Reminders.Select(reminder => reminder.ReminderName));
        Assert.Empty((await reminders.ReadRows(grain.GetGrainId())).Reminders);
        Assert.Null(await grain.GetSnapshot());
        Assert.Null(await grain.GetTask(start.Task!.Id));
        Assert.False(await grain.Authorize(null));
        Assert.False(await grain.Delete());
    }

    [Fact]
    public async Task Only_a_task_that_can_outlive_a_reminder_period_registers_the_wake_reminder()
    {
        var grain = await fixture.NewSessionAsync();
        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();

        await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromSeconds(30)), null);
        var withShortTask = await reminders.ReadRows(grain.GetGrainId());
        var longTask = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromMinutes(2)), null);
        var withLongTask = await reminders.ReadRows(grain.GetGrainId());
        await grain.CancelTask(longTask.Task!.Id);
        var afterCancel = await Deadline.PollAsync(
            () => reminders.ReadRows(grain.GetGrainId()),
            rows => rows.Reminders.Count == 0);

        Assert.Empty(withShortTask.Reminders);
        Assert.Equal(["wake"], withLongTask.Reminders.Select(reminder => reminder.ReminderName));
        Assert.Empty(afterCancel.Reminders);
    }

    [Fact]
    public async Task RunTask_creates_the_session_starts_the_task_and_answers_when_it_is_done()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);

        var run = await grain.RunTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(300)), createSession: true, Deadline.Default, default);
        var snapshot = await grain.GetSnapshot();
        var unknown = await fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value)
            .RunTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(300)), createSession: false, Deadline.Default, default);

        Assert.Equal(TaskStartOutcome.Started, run.Outcome);
        Assert.Equal(SessionTaskStatus.Succeeded, run.Task!.Status);
        Assert.Equal(1, snapshot!.FinishedTasks);
        Assert.Equal(TaskStartOutcome.SessionNotFound, unknown.Outcome);
    }

    [Fact]
    public async Task A_session_RunTask_created_leaves_memory_when_its_task_is_done_and_keeps_its_state()
    {
        var created = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        var existing = await fixture.NewSessionAsync();

        await created.RunTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(100)), createSession: true, Deadline.Default, default);
        await existing.RunTask(TaskSpec.Sleep(TimeSpan.FromMilliseconds(100)), createSession: false, Deadline.Default, default);

        // The idle timeout here is the service's default (30 min): only the rule for sessions RunTask created can end it.
        var createdActive = await Deadline.PollAsync(() => IsActiveAsync(created), active => !active, TimeSpan.FromSeconds(10));
        var existingActive = await IsActiveAsync(existing);
        Assert.False(createdActive);
        Assert.True(existingActive);
        Assert.Equal(1, (await created.GetSnapshot())!.FinishedTasks);
    }

    private async Task<bool> IsActiveAsync(ISessionGrain grain)
    {
        var activations = await fixture.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.Any(activation => activation.GrainId == grain.GetGrainId());
    }

    [Fact]
    public async Task A_session_created_with_a_token_admits_only_that_token()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);

        var created = await grain.CreateWithResumeToken();

        Assert.NotNull(created);
        Assert.True(created.Session.RequiresToken);
        Assert.True(Convert.FromBase64String(created.ResumeToken.Replace('-', '+').Replace('_', '/') + "=").Length >= 16);
        Assert.True(await grain.Authorize(created.ResumeToken));
        Assert.False(await grain.Authorize(null));
        Assert.False(await grain.Authorize(created.ResumeToken + "x"));
        Assert.Null(await grain.CreateWithResumeToken());
    }
}
