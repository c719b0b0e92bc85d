namespace ClusterHosting;

/// <summary>
/// Stored states by key, each with a version (its ETag), an expiry and the time of its last activity. Reads skip
/// what has expired, a sweep removes it, and past <c>capacity</c> the entry idle longest that is not pinned is
/// dropped to make room. Thread-safe: grain activations write from many threads at once.
/// </summary>
internal sealed class ExpiringStateTable<TKey>(int capacity, TimeProvider clock)
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, StoredState> _entries = [];

    // Entries that may be dropped for room, idle longest first. An entry rewritten since it was queued is skipped
    // when it comes up (its version no longer matches), so a write costs no search of this queue.
    private readonly PriorityQueue<(TKey Key, long Version), DateTimeOffset> _byLastActivity = new();
    private long _lastVersion;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The entry under <paramref name="key"/>, unless there is none or it has expired.</summary>
    public StoredState? Find(TKey key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > clock.GetUtcNow() ? entry : null;
        }
    }

    /// <summary>
    /// Stores <paramref name="data"/> if <paramref name="expectedVersion"/> is the stored entry's (null: there must
    /// be none). Returns the new version, or null on a conflict; <paramref name="dropped"/> is what made room for it.
    /// </summary>
    public long? Write(TKey key, long? expectedVersion, BinaryData data, StateTimes times, out StoredState? dropped)
    {
        dropped = null;
        lock (_lock)
        {
            var exists = _entries.TryGetValue(key, out var current);
            if (current?.Version != expectedVersion)
            {
                return null;
            }

            var written = new StoredState(data, ++_lastVersion, times.ExpiresAt, times.LastActiveAt, times.Pinned);
            _entries[key] = written;
            if (!written.Pinned)
            {
                _byLastActivity.Enqueue((key, written.Version), written.LastActiveAt);
            }

            if (!exists && _entries.Count > capacity)
            {
                dropped = DropIdlest(except: key);
            }

            CompactQueueIfStale();
            return written.Version;
        }
    }

    /// <summary>Removes the entry if <paramref name="expectedVersion"/> is its version (or it is already gone); false on a conflict.</summary>
    public bool Remove(TKey key, long? expectedVersion)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var current))
            {
                return true;
            }

            return current.Version == expectedVersion && _entries.Remove(key);
        }
    }

    /// <summary>Removes every expired entry; returns how many.</summary>
    public int RemoveExpired()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var expired = _entries.Where(pair => pair.Value.ExpiresAt <= now).Select(pair => pair.Key).ToList();
            foreach (var key in expired)
            {
                _entries.Remove(key);
            }

            CompactQueueIfStale();
            return expired.Count;
        }
    }

    private StoredState? DropIdlest(TKey except)
    {
        while (_byLastActivity.TryDequeue(out var queued, out var lastActiveAt))
        {
            if (!_entries.TryGetValue(queued.Key, out var entry) || entry.Version != queued.Version)
            {
                continue;
            }

            if (EqualityComparer<TKey>.Default.Equals(queued.Key, except))
            {
                // The state just written stays: its writer is told it is stored. It can go the next time.
                var dropped = DropIdlest(except);
                _byLastActivity.Enqueue(queued, lastActiveAt);
                return dropped;
            }

            _entries.Remove(queued.Key);
            return entry;
        }

        // Everything stored is pinned (unfinished tasks): the table grows past its capacity rather than lose them.
        return null;
    }

    private void CompactQueueIfStale()
    {
        if (_byLastActivity.Count <= 2 * _entries.Count + 1024)
        {
            return;
        }

        _byLastActivity.Clear();
        foreach (var (key, entry) in _entries)
        {
            if (!entry.Pinned)
            {
                _byLastActivity.Enqueue((key, entry.Version), entry.LastActiveAt);
            }
        }
    }
}

/// <summary>A stored state: serialized data, its version, and what the table needs to expire or evict it.</summary>
internal sealed record StoredState(BinaryData Data, long Version, DateTimeOffset ExpiresAt, DateTimeOffset LastActiveAt, bool Pinned);

/// <summary>What a write tells the table about the state it stores.</summary>
internal readonly record struct StateTimes(DateTimeOffset ExpiresAt, DateTimeOffset LastActiveAt, bool Pinned);
