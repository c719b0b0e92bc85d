using System.Globalization;
using Grains;
using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace Silo;

/// <summary>
/// Session state in Redis, in the layout of Orleans' own Redis storage (a hash of <c>etag</c> and <c>data</c> under
/// <c>{ServiceId}/state/{GrainId}/{state}</c>, so state it wrote reads back), with one difference: each key
/// expires when its state does (<see cref="IExpiringState.ExpiresAt"/>, set at every write), where Orleans' provider
/// has one expiry for every key. Retention therefore costs Redis nothing beyond the key: no reminder per session.
/// </summary>
// The connection keeps retrying in the background (AbortOnConnectFail off), so the one connect task never faults.
internal sealed class RedisSessionStorage(string serviceId, ConfigurationOptions redis, IGrainStorageSerializer serializer, TimeProvider clock)
    : IGrainStorage, IAsyncDisposable
{
    // ARGV: expected etag ('' when none), new etag, data, milliseconds to live (-1: no expiry).
    private const string WriteScript = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if (not etag and ARGV[1] == '') or etag == ARGV[1] then
          redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
          if ARGV[4] == '-1' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
          return 1
        end
        return 0
        """;

    // A key already gone (expired, or removed by another activation's clear) counts as cleared.
    private const string ClearScript = """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if not etag or etag == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return 1
        end
        return 0
        """;

    private static readonly RedisValue[] Fields = ["etag", "data"];

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(redis));

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var values = await Call(grainId, async database => await database.HashGetAsync(Key(stateName, grainId), Fields));
        if (values[0].IsNull || values[1].IsNull)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])values[1]!));
        grainState.ETag = values[0];
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = NewETag();
        var data = serializer.Serialize(grainState.State).ToArray();
        RedisValue[] args = [grainState.ETag ?? "", etag, data, TimeToLive(grainState.State)];
        var stored = await Call(grainId, async database => (int)await database.ScriptEvaluateAsync(WriteScript, [Key(stateName, grainId)], args));
        if (stored != 1)
        {
            throw Conflict(grainId, grainState.ETag, nameof(WriteStateAsync));
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        RedisValue[] args = [grainState.ETag ?? ""];
        var cleared = await Call(grainId, async database => (int)await database.ScriptEvaluateAsync(ClearScript, [Key(stateName, grainId)], args));
        if (cleared != 1)
        {
            throw Conflict(grainId, grainState.ETag, nameof(ClearStateAsync));
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }

    private string TimeToLive<T>(T state)
    {
        if (state is not IExpiringState expiring)
        {
            return "-1";
        }

        var left = (long)Math.Ceiling((expiring.ExpiresAt - clock.GetUtcNow()).TotalMilliseconds);
        return Math.Max(1, left).ToString(CultureInfo.InvariantCulture);
    }

    private RedisKey Key(string stateName, GrainId grainId) => $"{serviceId}/state/{grainId}/{stateName}";

    private static string NewETag() => Random.Shared.NextInt64().ToString("x", CultureInfo.InvariantCulture);

    private async Task<TResult> Call<TResult>(GrainId grainId, Func<IDatabase, Task<TResult>> call)
    {
        try
        {
            return await call((await _connection.Value).GetDatabase());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new RedisStorageException($"Session storage (Redis) failed for {grainId}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private InconsistentStateException Conflict(GrainId grainId, string? etag, string operation) =>
        new($"Version conflict ({operation}): ServiceId={serviceId} GrainId={grainId} ETag={etag}.", storedEtag: null, currentEtag: etag);
}
