using System.Globalization;
using System.Text;
using Grains;
using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace ClusterHosting;

/// <summary>
/// Session state in Redis, under the key Orleans' own Redis storage uses (<c>{ServiceId}/state/{GrainId}/{state}</c>),
/// with two differences that make a session cost what it is used for: each key expires when its state does
/// (<see cref="IExpiringState.ExpiresAt"/>, set at every write, where Orleans' provider has one expiry for every key),
/// so retention needs no reminder; and the value is one string, a 16-character ETag followed by the data, where
/// Orleans' provider keeps a hash whose data field outgrows Redis' compact encoding (about 740 bytes a session
/// against 400). Hashes written by Orleans' provider are still read, and replaced at their next write.
/// </summary>
// On the process's shared connection (SharedRedisConnection), which it does not own.
internal sealed class RedisSessionStorage(string serviceId, IConnectionMultiplexer redis, IGrainStorageSerializer serializer, TimeProvider clock)
    : IGrainStorage
{
    private const int ETagLength = 16;

    // The ETag of what is stored: the value's first characters, or an Orleans-written hash's etag field.
    // A missing key reads as '' (GETRANGE of nothing), which is what a caller without an ETag expects.
    private const string CurrentETag = """
        local current = redis.pcall('GETRANGE', KEYS[1], 0, 15)
        if type(current) == 'table' then current = redis.call('HGET', KEYS[1], 'etag') or '' end
        """;

    // ARGV: expected ETag ('' when none), the new value (ETag and data), milliseconds to live (-1: no expiry).
    private const string WriteScript = CurrentETag + """

        if current ~= ARGV[1] then return 0 end
        if ARGV[3] == '-1' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 1
        """;

    // A key already gone (expired, or removed by another activation's clear) counts as cleared.
    private const string ClearScript = CurrentETag + """

        if current ~= '' and current ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        return 1
        """;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (etag, data) = await Call(grainId, database => ReadAsync(database, Key(stateName, grainId)));
        if (etag is null || data is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = serializer.Deserialize<T>(new BinaryData(data));
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
        var data = serializer.Serialize(grainState.State).ToMemory();
        var value = new byte[ETagLength + data.Length];
        Encoding.ASCII.GetBytes(etag, value);
        data.CopyTo(value.AsMemory(ETagLength));
        RedisValue[] args = [grainState.ETag ?? "", value, TimeToLive(grainState.State)];
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

    private static async Task<(string? ETag, byte[]? Data)> ReadAsync(IDatabase database, RedisKey key)
    {
        try
        {
            var value = (byte[]?)await database.StringGetAsync(key);
            return value is null ? (null, null) : (Encoding.ASCII.GetString(value, 0, ETagLength), value[ETagLength..]);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            var fields = await database.HashGetAsync(key, ["etag", "data"]);
            return (fields[0], (byte[]?)fields[1]);
        }
    }

    private async Task<TResult> Call<TResult>(GrainId grainId, Func<IDatabase, Task<TResult>> call)
    {
        try
        {
            return await call(redis.GetDatabase());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw new RedisStorageException($"Session storage (Redis) failed for {grainId}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private InconsistentStateException Conflict(GrainId grainId, string? etag, string operation) =>
        new($"Version conflict ({operation}): ServiceId={serviceId} GrainId={grainId} ETag={etag}.", storedEtag: null, currentEtag: etag);
}
