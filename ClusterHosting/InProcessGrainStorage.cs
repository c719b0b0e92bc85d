using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;

namespace ClusterHosting;

/// <summary>
/// Grain state in a dictionary of this process, for a single silo with the localhost provider. Orleans' memory
/// storage keeps state in storage grains so several silos can share it, which costs a grain call (message, copy,
/// scheduling) for every read and write; a single silo does not need that. State is stored serialized, so no
/// grain shares an object with the store, and writes check the ETag as a real store does.
/// </summary>
internal sealed class InProcessGrainStorage(IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, Entry> _entries = new();
    private long _lastETag;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue(grainId, out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var written = new Entry(serializer.Serialize(grainState.State), NextETag());
        while (true)
        {
            var current = CheckETag(grainId, grainState.ETag);
            var stored = current is null ? _entries.TryAdd(grainId, written) : _entries.TryUpdate(grainId, written, current);
            if (stored)
            {
                break;
            }
        }

        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        while (CheckETag(grainId, grainState.ETag) is { } current && !_entries.TryRemove(new KeyValuePair<GrainId, Entry>(grainId, current)))
        {
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>The stored entry the caller's ETag matches (null when there is none); a stale ETag throws.</summary>
    private Entry? CheckETag(GrainId grainId, string? expected)
    {
        var current = _entries.GetValueOrDefault(grainId);
        if (current?.ETag != expected && !(current is null && expected is null))
        {
            throw new InconsistentStateException($"Stale state for {grainId}: its ETag does not match the stored one.", current?.ETag, expected);
        }

        return current;
    }

    private string NextETag() => Interlocked.Increment(ref _lastETag).ToString(CultureInfo.InvariantCulture);

    private sealed record Entry(BinaryData Data, string ETag);
}
