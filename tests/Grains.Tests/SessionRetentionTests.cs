using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Grains.Tests;

// One fake clock for the collection: each test moves it forward only, and measures from its own sessions' times.
[Collection(FakeClockCollection.Name)]
public sealed class SessionRetentionTests(FakeClockFixture fixture)
{
    private static readonly TimeSpan AnonymousRetention = new SessionOptions().AnonymousRetention;
    private static readonly TimeSpan TokenRetention = new SessionOptions().Retention;
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private static readonly TaskSpec ShortSleep = new() { Kind = SessionTaskKind.Sleep, Duration = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public async Task A_session_without_a_token_answers_until_its_retention_ends_then_like_an_unknown_one()
    {
        var grain = NewGrain();
        await grain.Create();

        fixture.Clock.Advance(AnonymousRetention - Margin);
        var before = await grain.GetSnapshot();
        fixture.Clock.Advance(Margin);

        Assert.NotNull(before);
        Assert.Null(await grain.GetSnapshot());
        Assert.False(await grain.Authorize(null));
    }

    [Fact]
    public async Task A_session_with_a_token_keeps_the_longer_retention()
    {
        var grain = NewGrain();
        var created = await grain.CreateWithResumeToken();

        fixture.Clock.Advance(TokenRetention - Margin);
        var before = await grain.Authorize(created!.ResumeToken);
        fixture.Clock.Advance(Margin);

        Assert.True(before);
        Assert.False(await grain.Authorize(created.ResumeToken));
    }

    [Fact]
    public async Task A_process_session_leaves_memory_and_its_stored_state_answers_until_its_retention_ends()
    {
        var (kept, expired) = (NewGrain(), NewGrain());
        await fixture.AdvanceUntilDoneAsync(kept.RunTask(ShortSleep, createSession: true, TimeSpan.FromSeconds(1), default), TimeSpan.FromMilliseconds(1));
        await fixture.AdvanceUntilDoneAsync(expired.RunTask(ShortSleep, createSession: true, TimeSpan.FromSeconds(1), default), TimeSpan.FromMilliseconds(1));
        var stillActive = await Deadline.PollAsync(() => ActiveAsync(kept, expired), active => active == 0);

        fixture.Clock.Advance(AnonymousRetention - Margin);
        var keptRead = await kept.GetSnapshot();
        fixture.Clock.Advance(Margin + Margin);

        Assert.Equal(0, stillActive);
        Assert.Equal(1, keptRead?.FinishedTasks);
        Assert.Null(await expired.GetSnapshot());
    }

    [Fact]
    public async Task A_session_in_use_does_not_expire_and_its_retention_counts_from_its_last_activity()
    {
        var grain = NewGrain();
        await grain.Create();
        var observer = EventRecorder.Create(fixture.Grains);
        await grain.Connect("socket", observer.Reference, events: false, lastSeq: null);

        // Front ends renew every socket's lease far more often than this.
        var renewals = new List<SessionConnection?>();
        for (var i = 0; i < 8; i++)
        {
            fixture.Clock.Advance(AnonymousRetention / 4);
            renewals.Add(await grain.Connect("socket", observer.Reference, events: false, lastSeq: null));
        }

        await grain.Disconnect("socket");
        fixture.Clock.Advance(AnonymousRetention - Margin);
        var beforeRetention = await grain.GetSnapshot();
        fixture.Clock.Advance(Margin);

        Assert.All(renewals, Assert.NotNull);
        Assert.NotNull(beforeRetention);
        Assert.Null(await grain.GetSnapshot());
    }

    [Fact]
    public async Task A_process_session_is_stored_no_larger_than_the_sample_the_memory_test_measures()
    {
        var grain = NewGrain();
        await fixture.AdvanceUntilDoneAsync(grain.RunTask(ShortSleep, createSession: true, TimeSpan.FromSeconds(1), default), TimeSpan.FromMilliseconds(1));
        var silo = fixture.Cluster.Silos[0].ServiceProvider;
        var storage = silo.GetRequiredKeyedService<IGrainStorage>(SessionStorage.Name);
        var serializer = new OrleansGrainStorageSerializer(silo.GetRequiredService<Serializer>());

        var stored = new GrainState<SessionState>(new SessionState());
        await storage.ReadStateAsync("session", grain.GetGrainId(), stored);
        var sample = SessionStateSamples.AfterOneProcessCall(fixture.Clock.GetUtcNow());

        Assert.True(stored.RecordExists);
        Assert.Equal(sample.Events.Select(e => e.Kind), stored.State!.Events.Select(e => e.Kind));
        Assert.InRange(serializer.Serialize(stored.State).Length, 1, serializer.Serialize(sample).Length + 16);
    }

    private ISessionGrain NewGrain() => fixture.Grains.GetGrain<ISessionGrain>(SessionId.New().Value);

    private async Task<int> ActiveAsync(params ISessionGrain[] grains)
    {
        var ids = grains.Select(grain => grain.GetGrainId()).ToHashSet();
        var activations = await fixture.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.Count(activation => ids.Contains(activation.GrainId));
    }
}
