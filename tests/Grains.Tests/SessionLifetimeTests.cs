using Grains.Abstractions;

namespace Grains.Tests;

[Collection(ShortLivedSessionsCollection.Name)]
public sealed class SessionLifetimeTests(ShortLivedSessionsFixture fixture)
{
    private async Task<bool> IsActiveAsync(ISessionGrain grain)
    {
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var activations = await management.GetDetailedGrainStatistics();
        return activations.Any(activation => activation.GrainId == grain.GetGrainId());
    }

    [Fact]
    public async Task An_idle_session_leaves_memory_after_the_idle_timeout_and_keeps_its_state()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        await grain.Echo("one");
        var activeAtFirst = await IsActiveAsync(grain);

        // Well inside the retention period, so the state read below is the idle session's, not an expired one.
        var stillActive = await Deadline.PollAsync(() => IsActiveAsync(grain), active => !active, ShortLivedSessionsFixture.Retention * 0.8);

        Assert.True(activeAtFirst);
        Assert.False(stillActive);
        Assert.Equal(1, (await grain.GetSnapshot())!.EchoedMessages);
    }

    [Fact]
    public async Task A_session_with_an_open_socket_stays_in_memory_past_the_idle_timeout()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains);
        await grain.Connect("socket", observer.Reference, events: false, lastSeq: null);

        await Task.Delay(ShortLivedSessionsFixture.IdleTimeout * 2);
        var active = await IsActiveAsync(grain);
        await grain.Disconnect("socket");

        Assert.True(active);
    }

    [Fact]
    public async Task A_session_leaves_memory_after_the_idle_timeout_once_its_last_socket_closes()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains);
        await grain.Connect("socket", observer.Reference, events: false, lastSeq: null);
        await grain.Disconnect("socket");

        // The socket's hold on memory (one connection lease, 30 s here) ends with it.
        var stillActive = await Deadline.PollAsync(() => IsActiveAsync(grain), active => !active, ShortLivedSessionsFixture.Retention * 0.8);

        Assert.False(stillActive);
    }
}
