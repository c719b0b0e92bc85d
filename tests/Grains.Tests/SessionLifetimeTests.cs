using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Grains.Tests;

/// <summary>
/// Idle collection through a real silo, without waiting for it: Orleans collects on its own clock, so each test asks
/// for a collection of every idle activation now and checks what the session's hold lets go. How long a hold lasts
/// is checked on the fake clock (<c>ActivationHoldTests</c>).
/// </summary>
[Collection(IdleCollectionCollection.Name)]
public sealed class SessionLifetimeTests(IdleCollectionFixture fixture)
{
    private IManagementGrain Management => fixture.Grains.GetGrain<IManagementGrain>(0);

    private async Task<bool> IsActiveAsync(ISessionGrain grain)
    {
        var activations = await Management.GetDetailedGrainStatistics();
        return activations.Any(activation => activation.GrainId == grain.GetGrainId());
    }

    private Task<bool> IsActiveAfterCollectionAsync(ISessionGrain grain) =>
        Deadline.PollAsync(
            async () =>
            {
                await Management.ForceActivationCollection(TimeSpan.Zero);
                return await IsActiveAsync(grain);
            },
            active => !active,
            TimeSpan.FromSeconds(5));

    [Fact]
    public void Sessions_are_collected_after_the_configured_idle_timeout()
    {
        var collection = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal(IdleCollectionFixture.IdleTimeout, collection.ClassSpecificCollectionAge[typeof(SessionGrain).FullName!]);
    }

    [Fact]
    public async Task An_idle_session_leaves_memory_when_collected_and_keeps_its_state()
    {
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.Create();
        await grain.Echo("one");
        var activeAtFirst = await IsActiveAsync(grain);

        var active = await IsActiveAfterCollectionAsync(grain);

        Assert.True(activeAtFirst);
        Assert.False(active);
        Assert.Equal(1, (await grain.GetSnapshot())!.EchoedMessages);
    }

    [Fact]
    public async Task A_session_with_an_open_socket_is_not_collected()
    {
        var idle = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await idle.CreateWithResumeToken();
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.CreateWithResumeToken();
        var observer = EventRecorder.Create(fixture.Grains);
        await grain.Connect("socket", observer.Reference, events: false, lastSeq: null);

        // The idle session alongside shows that the collection ran and took what it could.
        var idleActive = await IsActiveAfterCollectionAsync(idle);
        var active = await IsActiveAsync(grain);
        await grain.Disconnect("socket");

        Assert.False(idleActive);
        Assert.True(active);
    }

    [Fact]
    public async Task A_session_can_be_collected_once_its_last_socket_closes()
    {
        // With a resume token, closing the socket does not send the session away by itself: only the hold's end lets it go.
        var grain = fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);
        await grain.CreateWithResumeToken();
        var observer = EventRecorder.Create(fixture.Grains);
        await grain.Connect("socket", observer.Reference, events: false, lastSeq: null);
        await grain.Disconnect("socket");

        var active = await IsActiveAfterCollectionAsync(grain);

        Assert.False(active);
    }
}
