using System.Diagnostics.Metrics;
using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Orleans.Storage;
using ClusterHosting;

namespace Grains.Tests;

public sealed class InProcessGrainStorageTests
{
    private static readonly GrainId Session = GrainId.Create("session", "storage-test");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_write_is_read_back_as_a_copy_and_a_stale_etag_is_refused()
    {
        var storage = NewStorage();
        var first = new GrainState<SessionState>(Stored(expiresIn: TimeSpan.FromHours(1)));
        first.State!.EchoedMessages = 3;

        await storage.WriteStateAsync("session", Session, first);
        var read = new GrainState<SessionState>(new SessionState());
        await storage.ReadStateAsync("session", Session, read);
        read.State!.EchoedMessages = 4;
        var stale = new GrainState<SessionState>(new SessionState()) { ETag = "not-the-stored-one", RecordExists = true };

        Assert.True(read.RecordExists);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(3, first.State!.EchoedMessages);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("session", Session, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("session", Session, new GrainState<SessionState>(new SessionState())));
        await storage.WriteStateAsync("session", Session, read);
        Assert.NotEqual(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_cleared_state_reads_as_absent()
    {
        var storage = NewStorage();
        var state = new GrainState<SessionState>(Stored(expiresIn: TimeSpan.FromHours(1)));
        await storage.WriteStateAsync("session", Session, state);

        await storage.ClearStateAsync("session", Session, state);

        Assert.False((await ReadAsync(storage, Session)).RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task State_reads_as_absent_from_its_expiry_on_and_the_sweep_removes_it()
    {
        using var meters = new MeterCapture();
        var storage = NewStorage(meters: meters);
        // Between two sweeps (one a minute), so the read alone must tell it has expired.
        var expiresIn = TimeSpan.FromMinutes(15.5);
        await storage.WriteStateAsync("session", Session, new GrainState<SessionState>(Stored(expiresIn)));

        _clock.Advance(expiresIn - TimeSpan.FromMilliseconds(1));
        var before = await ReadAsync(storage, Session);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var after = await ReadAsync(storage, Session);
        var storedBeforeSweep = meters.Stored();
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(before.RecordExists);
        Assert.False(after.RecordExists);
        Assert.Equal(1, storedBeforeSweep);
        Assert.Equal(0, meters.Stored());
        Assert.Equal(1, meters.Dropped("expired"));
    }

    [Fact]
    public async Task A_full_store_drops_the_session_idle_longest_that_has_no_unfinished_task()
    {
        using var meters = new MeterCapture();
        var storage = NewStorage(capacity: 3, meters: meters);
        var (pinned, idlest, rewritten, newest) = (Id("pinned"), Id("idlest"), Id("rewritten"), Id("newest"));
        await storage.WriteStateAsync("session", pinned, new GrainState<SessionState>(Stored(TimeSpan.FromHours(1), unfinishedTask: true)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var rewrittenState = new GrainState<SessionState>(Stored(TimeSpan.FromHours(1)));
        await storage.WriteStateAsync("session", rewritten, rewrittenState);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await storage.WriteStateAsync("session", idlest, new GrainState<SessionState>(Stored(TimeSpan.FromHours(1))));
        _clock.Advance(TimeSpan.FromSeconds(1));

        // Active again: its earlier place in line no longer counts.
        rewrittenState.State!.LastActiveAt = _clock.GetUtcNow();
        await storage.WriteStateAsync("session", rewritten, rewrittenState);
        await storage.WriteStateAsync("session", newest, new GrainState<SessionState>(Stored(TimeSpan.FromHours(1))));

        Assert.True((await ReadAsync(storage, pinned)).RecordExists);
        Assert.False((await ReadAsync(storage, idlest)).RecordExists);
        Assert.True((await ReadAsync(storage, rewritten)).RecordExists);
        Assert.True((await ReadAsync(storage, newest)).RecordExists);
        Assert.Equal(1, meters.Dropped("evicted"));
        Assert.Equal(3, meters.Stored());
    }

    [Fact]
    public async Task A_session_that_ran_one_finished_process_task_takes_at_most_1_KB_of_the_process()
    {
        const int sessions = 20_000;
        var storage = NewStorage(capacity: sessions + 1);
        var states = Enumerable.Range(0, sessions).Select(_ => new GrainState<SessionState>(SessionStateSamples.AfterOneProcessCall(_clock.GetUtcNow()))).ToList();
        var ids = Enumerable.Range(0, sessions).Select(_ => GrainId.Create("session", SessionId.New().Value)).ToList();

        // One write first, so the serializer's one-time set-up is not counted against the sessions.
        await storage.WriteStateAsync("session", Id("warm-up"), new GrainState<SessionState>(SessionStateSamples.AfterOneProcessCall(_clock.GetUtcNow())));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < sessions; i++)
        {
            await storage.WriteStateAsync("session", ids[i], states[i]);
        }

        // The grain ids and states stay referenced above: only what the store itself keeps is measured.
        var perSession = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)sessions;
        GC.KeepAlive(states);
        GC.KeepAlive(ids);

        Assert.InRange(perSession, 1, 1024);
    }

    private SessionState Stored(TimeSpan expiresIn, bool unfinishedTask = false)
    {
        var now = _clock.GetUtcNow();
        var state = new SessionState { Exists = true, CreatedAt = now, LastActiveAt = now, ExpiresAt = now + expiresIn };
        if (unfinishedTask)
        {
            state.Tasks.Add(new TaskRecord { Id = "1", Kind = SessionTaskKind.Sleep, Status = SessionTaskStatus.Running, CreatedAt = now, Duration = TimeSpan.FromHours(1) });
        }

        return state;
    }

    private static GrainId Id(string key) => GrainId.Create("session", key);

    private static async Task<GrainState<SessionState>> ReadAsync(InProcessGrainStorage storage, GrainId id)
    {
        var read = new GrainState<SessionState>(new SessionState());
        await storage.ReadStateAsync("session", id, read);
        return read;
    }

    private InProcessGrainStorage NewStorage(int capacity = 1000, MeterCapture? meters = null)
    {
        var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(SessionState).Assembly)).AddMetrics().BuildServiceProvider();
        var metrics = new StoreMetrics(meters?.Factory ?? services.GetRequiredService<IMeterFactory>());
        return new InProcessGrainStorage(
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), _clock, capacity, metrics, NullLogger<InProcessGrainStorage>.Instance);
    }
}
