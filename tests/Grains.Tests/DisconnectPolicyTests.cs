using Grains.Abstractions;

namespace Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DisconnectPolicyTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(1);

    private static TaskSpec LongSleepCancelledAfterDisconnect() =>
        TaskSpec.Sleep(TimeSpan.FromMinutes(5)) with { CancelAfterDisconnect = Allowance };

    [Fact]
    public async Task The_task_is_cancelled_only_after_the_last_socket_has_been_gone_that_long()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains).Reference;
        await grain.Connect("a", observer, events: false, lastSeq: null);
        await grain.Connect("b", observer, events: false, lastSeq: null);
        var start = await grain.StartTask(LongSleepCancelledAfterDisconnect(), null);

        await grain.Disconnect("a");
        var withOneSocketLeft = await grain.WaitForTask(start.Task!.Id, Allowance * 3, default);
        var lastSocketGone = DateTimeOffset.UtcNow;
        await grain.Disconnect("b");
        var finished = await grain.WaitForTask(start.Task.Id, Deadline.Default, default);

        Assert.Equal(SessionTaskStatus.Running, withOneSocketLeft!.Status);
        Assert.Equal(SessionTaskStatus.Cancelled, finished!.Status);
        Assert.True(finished.FinishedAt - lastSocketGone >= Allowance, $"cancelled {finished.FinishedAt - lastSocketGone} after the last socket left");
        Assert.Contains("onDisconnect", finished.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_that_comes_back_in_time_keeps_the_task()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains).Reference;
        await grain.Connect("a", observer, events: false, lastSeq: null);
        var start = await grain.StartTask(LongSleepCancelledAfterDisconnect(), null);

        await grain.Disconnect("a");
        await grain.Connect("a2", observer, events: false, lastSeq: null);
        var later = await grain.WaitForTask(start.Task!.Id, Allowance * 3, default);
        await grain.CancelTask(start.Task.Id);

        Assert.Equal(SessionTaskStatus.Running, later!.Status);
    }

    [Fact]
    public async Task A_task_without_the_policy_continues_with_no_socket()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        var start = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromMinutes(5)), null);

        var later = await grain.WaitForTask(start.Task!.Id, Allowance * 3, default);
        await grain.CancelTask(start.Task.Id);

        Assert.Equal(SessionTaskStatus.Running, later!.Status);
        Assert.Null(later.CancelAfterDisconnect);
    }
}
