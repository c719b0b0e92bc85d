using Grains;
using Grains.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Orleans.Storage;
using ClusterHosting;
using StackExchange.Redis;

namespace Cluster.Tests;

/// <summary>What sessions cost in Redis: keys that expire with their session, and no reminder per session.</summary>
[Collection(RunningClusterCollection.Name)]
public sealed class RedisSessionStateTests(RunningClusterFixture fixture)
{
    private static readonly TimeSpan AnonymousRetention = new SessionOptions().AnonymousRetention;

    [Fact]
    public async Task Anonymous_process_sessions_leave_no_reminder_and_compact_keys_that_expire_within_their_retention()
    {
        const int calls = 200;
        var frontEnds = fixture.Cluster.RunningFrontEnds().Select(address => new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) }).ToList();
        var ids = await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            using var response = await frontEnds[i % frontEnds.Count].GetAsync(new Uri("/process", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            return response.Headers.GetValues("X-Session-Id").Single();
        }));
        frontEnds.ForEach(client => client.Dispose());

        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Cluster.RedisPort}");
        var database = redis.GetDatabase();
        var reminders = (await database.SortedSetRangeByRankAsync("sessions/reminders")).Select(member => member.ToString()).ToList();
        var keys = ids.Select(id => (RedisKey)$"sessions/state/session/{id}/session").ToList();
        var timesToLive = await Task.WhenAll(keys.Select(key => database.KeyTimeToLiveAsync(key)));
        var sizes = await Task.WhenAll(keys.Select(async key => (long)await database.ExecuteAsync("MEMORY", "USAGE", key)));

        Assert.DoesNotContain(reminders, member => ids.Any(id => member.Contains(id, StringComparison.Ordinal)));
        Assert.All(timesToLive, ttl => Assert.InRange(ttl ?? TimeSpan.MaxValue, TimeSpan.FromSeconds(1), AnonymousRetention));
        Assert.InRange(sizes.Average(), 1, 600);
    }

    [Fact]
    public async Task Each_write_sets_the_key_to_expire_with_its_state_and_a_stale_etag_is_refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var serviceId = $"ttl-test-{Guid.NewGuid():N}";
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Cluster.RedisPort}");
        var storage = NewStorage(redis, serviceId, clock);
        var grainId = GrainId.Create("session", SessionId.New().Value);
        RedisKey key = $"{serviceId}/state/{grainId}/session";
        var state = new GrainState<SessionState>(new SessionState { Exists = true, ExpiresAt = clock.GetUtcNow() + TimeSpan.FromMinutes(15) });

        await storage.WriteStateAsync("session", grainId, state);
        var firstTimeToLive = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        var firstETag = state.ETag;
        clock.Advance(TimeSpan.FromMinutes(10));
        state.State!.ExpiresAt = clock.GetUtcNow() + TimeSpan.FromHours(24);
        await storage.WriteStateAsync("session", grainId, state);
        var refreshedTimeToLive = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        var stale = new GrainState<SessionState>(new SessionState { Exists = true, ExpiresAt = clock.GetUtcNow() }) { ETag = firstETag };

        Assert.InRange(firstTimeToLive!.Value, TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(15));
        Assert.InRange(refreshedTimeToLive!.Value, TimeSpan.FromHours(24) - TimeSpan.FromSeconds(10), TimeSpan.FromHours(24));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("session", grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("session", grainId, stale));
        await storage.ClearStateAsync("session", grainId, state);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(key));
    }

    [Fact]
    public async Task State_expired_by_redis_reads_as_absent_and_clearing_it_again_succeeds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Cluster.RedisPort}");
        var storage = NewStorage(redis, $"expiry-test-{Guid.NewGuid():N}", clock);
        var grainId = GrainId.Create("session", SessionId.New().Value);

        // Already due: Redis keeps it a millisecond at most.
        var state = new GrainState<SessionState>(new SessionState { Exists = true, ExpiresAt = clock.GetUtcNow() });
        await storage.WriteStateAsync("session", grainId, state);
        var read = await Deadline.PollAsync(
            async () =>
            {
                var current = new GrainState<SessionState>(new SessionState());
                await storage.ReadStateAsync("session", grainId, current);
                return current;
            },
            current => !current.RecordExists,
            TimeSpan.FromSeconds(5));

        Assert.False(read.RecordExists);
        await storage.ClearStateAsync("session", grainId, state);
    }

    [Fact]
    public async Task State_written_by_orleans_redis_storage_is_read_and_replaced_at_its_next_write()
    {
        var serviceId = $"legacy-test-{Guid.NewGuid():N}";
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Cluster.RedisPort}");
        var storage = NewStorage(redis, serviceId, TimeProvider.System);
        var grainId = GrainId.Create("session", SessionId.New().Value);
        RedisKey key = $"{serviceId}/state/{grainId}/session";
        var legacy = new SessionState { Exists = true, EchoedMessages = 7, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(5) };
        await redis.GetDatabase().HashSetAsync(key, [new("etag", Guid.NewGuid().ToString("N")), new("data", Serializer().Serialize(legacy).ToArray())]);

        var read = new GrainState<SessionState>(new SessionState());
        await storage.ReadStateAsync("session", grainId, read);
        await storage.WriteStateAsync("session", grainId, read);

        Assert.Equal(7, read.State!.EchoedMessages);
        Assert.Equal(RedisType.String, await redis.GetDatabase().KeyTypeAsync(key));
        Assert.NotNull(await redis.GetDatabase().KeyTimeToLiveAsync(key));
    }

    private static OrleansGrainStorageSerializer Serializer()
    {
        var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(SessionState).Assembly)).BuildServiceProvider();
        return new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
    }

    private static RedisSessionStorage NewStorage(IConnectionMultiplexer redis, string serviceId, TimeProvider clock) =>
        new(serviceId, redis, Serializer(), clock);
}
