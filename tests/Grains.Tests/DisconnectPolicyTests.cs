using Grains.Abstractions;

namespace Grains.Tests;

// On the fake clock. Each test moves it by less than a socket's lease, so the sockets it holds never lapse.
[Collection(FakeClockCollection.Name)]
public sealed class DisconnectPolicyTests(FakeClockFixture fixture)
{
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PastAllowance = Allowance + TimeSpan.FromSeconds(5);

    private static TaskSpec LongSleepCancelledAfterDisconnect() =>
        TaskSpec.Sleep(TimeSpan.FromMinutes(5)) with { CancelAfterDisconnect = Allowance };

    [Fact]
    public async Task The_task_is_cancelled_only_after_the_last_socket_has_been_gone_that_long()
    {
        var grain = await NewSessionAsync();
        var observer = EventRecorder.Create(fixture.Grains).Reference;
        await grain.Connect("a", observer, events: false, lastSeq: null);
        await grain.Connect("b", observer, events: false, lastSeq: null);
        var start = await grain.StartTask(LongSleepCancelledAfterDisconnect(), null);

        await grain.Disconnect("a");
        fixture.Clock.Advance(PastAllowance);
        var withOneSocketLeft = await grain.GetTask(start.Task!.Id);
        await grain.Disconnect("b");
        var lastSocketGone = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(Allowance - TimeSpan.FromSeconds(1));
        var justBefore = await grain.GetTask(start.Task.Id);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var finished = await grain.WaitForTask(start.Task.Id, TimeSpan.FromHours(1), default).WaitAsync(Deadline.Default);

        Assert.Equal(SessionTaskStatus.Running, withOneSocketLeft!.Status);
        Assert.Equal(SessionTaskStatus.Running, justBefore!.Status);
        Assert.Equal(SessionTaskStatus.Cancelled, finished!.Status);
        Assert.Equal(lastSocketGone + Allowance, finished.FinishedAt);
        Assert.Contains("onDisconnect", finished.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_that_comes_back_in_time_keeps_the_task()
    {
        var grain = await NewSessionAsync();
        var observer = EventRecorder.Create(fixture.Grains).Reference;
        await grain.Connect("a", observer, events: false, lastSeq: null);
        var start = await grain.StartTask(LongSleepCancelledAfterDisconnect(), null);

        await grain.Disconnect("a");
        fixture.Clock.Advance(Allowance / 2);
        await grain.Connect("a2", observer, events: false, lastSeq: null);
        fixture.Clock.Advance(PastAllowance);
        var later = await grain.GetTask(start.Task!.Id);
        await grain.CancelTask(start.Task.Id);

        Assert.Equal(SessionTaskStatus.Running, later!.Status);
    }

    [Fact]
    public async Task A_task_without_the_policy_continues_with_no_socket()
    {
        var grain = await NewSessionAsync();
        var start = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromMinutes(5)), null);

        fixture.Clock.Advance(PastAllowance);
        var later = await grain.GetTask(start.Task!.Id);
        await grain.CancelTask(start.Task.Id);

        Assert.Equal(SessionTaskStatus.Running, later!.Status);
        Assert.Null(later.CancelAfterDisconnect);
    }

    private async Task<ISessionGrain> NewSessionAsync()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        return grain;
    }
}
