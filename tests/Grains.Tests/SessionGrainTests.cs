using Grains.Abstractions;

namespace Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class SessionGrainTests(ClusterFixture fixture)
{
    private ISessionGrain NewSessionGrain() => fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);

    [Fact]
    public async Task Create_records_when_the_session_began()
    {
        var before = DateTimeOffset.UtcNow;
        var grain = NewSessionGrain();

        var created = await grain.Create();
        var read = await grain.GetSnapshot();

        Assert.NotNull(read);
        Assert.InRange(created.CreatedAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.Equal(0, read.OpenConnections);
        Assert.Equal(0, read.EchoedMessages);
    }

    [Fact]
    public async Task Creating_an_existing_session_keeps_its_state()
    {
        var grain = NewSessionGrain();
        var first = await grain.Create();
        await grain.Echo("hello");

        var second = await grain.Create();

        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(1, second.EchoedMessages);
    }

    [Fact]
    public async Task A_socket_echo_answers_the_same_bytes_after_the_prefix_and_counts_before_it_answers()
    {
        var grain = NewSessionGrain();
        var created = await grain.Create();

        var first = await grain.EchoUtf8("héllo 👋"u8.ToArray());
        var second = await grain.EchoUtf8(ReadOnlyMemory<byte>.Empty);
        var read = await grain.GetSnapshot();

        Assert.Equal("Echo: héllo 👋"u8.ToArray(), first);
        Assert.Equal("Echo: "u8.ToArray(), second);
        Assert.Equal(2, read!.EchoedMessages);
        Assert.True(read.LastActiveAt > created.CreatedAt);
    }

    [Fact]
    public async Task An_unknown_session_has_no_snapshot_and_accepts_nothing()
    {
        var grain = NewSessionGrain();

        Assert.Null(await grain.GetSnapshot());
        Assert.Null(await grain.Connect("c1", EventRecorder.Create(fixture.Grains).Reference, events: true, lastSeq: null));
        Assert.Equal(TaskStartOutcome.SessionNotFound, (await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromSeconds(1)), null)).Outcome);
        await Assert.ThrowsAsync<SessionNotFoundException>(() => grain.Echo("hi"));
        await Assert.ThrowsAsync<SessionNotFoundException>(() => grain.EchoUtf8("hi"u8.ToArray()));
        Assert.Null(await grain.GetSnapshot());
    }

    [Fact]
    public async Task Echo_prefixes_the_text_and_counts_the_message()
    {
        var grain = NewSessionGrain();
        await grain.Create();

        var first = await grain.Echo("héllo 👋");
        var second = await grain.Echo(string.Empty);

        Assert.Equal("Echo: héllo 👋", first);
        Assert.Equal("Echo: ", second);
        Assert.Equal(2, (await grain.GetSnapshot())!.EchoedMessages);
    }

    [Fact]
    public async Task Connections_are_counted_once_each_and_released_on_disconnect()
    {
        var grain = NewSessionGrain();
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains).Reference;

        Assert.NotNull(await grain.Connect("a", observer, events: false, lastSeq: null));
        Assert.NotNull(await grain.Connect("b", observer, events: false, lastSeq: null));
        Assert.NotNull(await grain.Connect("a", observer, events: false, lastSeq: null));
        Assert.Equal(2, (await grain.GetSnapshot())!.OpenConnections);

        await grain.Disconnect("a");
        await grain.Disconnect("unknown");
        Assert.Equal(1, (await grain.GetSnapshot())!.OpenConnections);

        await grain.Disconnect("b");
        Assert.Equal(0, (await grain.GetSnapshot())!.OpenConnections);
    }

    [Fact]
    public async Task Echo_is_answered_while_a_task_of_the_session_runs()
    {
        var grain = NewSessionGrain();
        await grain.Create();
        var start = await grain.StartTask(TaskSpec.Sleep(TimeSpan.FromSeconds(30)), null);

        var reply = await grain.Echo("still there?");
        var task = await grain.WaitForTask(start.Task!.Id, TimeSpan.Zero, default);

        Assert.Equal("Echo: still there?", reply);
        Assert.Equal(SessionTaskStatus.Running, task!.Status);
    }

    [Fact]
    public async Task Waiting_for_an_unknown_task_returns_nothing()
    {
        var grain = NewSessionGrain();
        await grain.Create();

        Assert.Null(await grain.WaitForTask("42", TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task Counters_survive_deactivation_and_sockets_must_renew_their_lease()
    {
        var grain = NewSessionGrain();
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains).Reference;
        await grain.Connect("socket-1", observer, events: false, lastSeq: null);
        await grain.Echo("one");
        await grain.Echo("two");

        await fixture.Cluster.DeactivateAsync(grain);
        var afterDeactivation = await grain.GetSnapshot();
        await grain.Connect("socket-1", observer, events: false, lastSeq: null);

        Assert.Equal(2, afterDeactivation!.EchoedMessages);
        Assert.Equal(0, afterDeactivation.OpenConnections);
        Assert.Equal(1, (await grain.GetSnapshot())!.OpenConnections);
    }
}
