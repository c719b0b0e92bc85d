using System.Globalization;
using Grains;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ClusterHosting;

/// <summary>
/// Session state in a table of this process, for a single silo with the localhost provider (the one-command
/// default). Orleans' memory storage keeps state in storage grains so several silos can share it, which costs a
/// grain call for every read and write; a single silo does not need that. State is stored serialized, so no grain
/// shares an object with the store, and writes check the ETag as a real store does. Like Redis, the store drops
/// state at its expiry (<see cref="IExpiringState"/>); unlike Redis it also has a capacity, so steady traffic cannot
/// fill the machine: past it the session idle longest without unfinished tasks is dropped.
/// </summary>
internal sealed class InProcessGrainStorage : IGrainStorage, IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DropReportInterval = TimeSpan.FromMinutes(1);

    private readonly IGrainStorageSerializer _serializer;
    private readonly TimeProvider _clock;
    private readonly int _capacity;
    private readonly StoreMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ExpiringStateTable<GrainId> _table;
    private readonly ITimer _sweep;
    private readonly Lock _reportLock = new();
    private long _droppedUnreported;
    private DateTimeOffset _lastDropReport = DateTimeOffset.MinValue;

    public InProcessGrainStorage(IGrainStorageSerializer serializer, TimeProvider clock, int capacity, StoreMetrics metrics, ILogger<InProcessGrainStorage> logger)
    {
        _serializer = serializer;
        _clock = clock;
        _capacity = capacity;
        _metrics = metrics;
        _logger = logger;
        _table = new ExpiringStateTable<GrainId>(capacity, clock);
        _metrics.ObserveStored(() => _table.Count);
        _sweep = clock.CreateTimer(_ => RemoveExpired(), null, SweepInterval, SweepInterval);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_table.Find(grainId) is { } entry)
        {
            grainState.State = _serializer.Deserialize<T>(entry.Data);
            grainState.ETag = ETag(entry.Version);
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
        var data = _serializer.Serialize(grainState.State);
        var times = grainState.State is IExpiringState expiring
            ? new StateTimes(expiring.ExpiresAt, expiring.LastActiveAt, expiring.HasUnfinishedTasks)
            : new StateTimes(DateTimeOffset.MaxValue, _clock.GetUtcNow(), Pinned: true);
        var version = _table.Write(grainId, Version(grainState.ETag), data, times, out var dropped)
            ?? throw Conflict(grainId, grainState.ETag);
        if (dropped is not null)
        {
            ReportDropped(dropped);
        }

        grainState.ETag = ETag(version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!_table.Remove(grainId, Version(grainState.ETag)))
        {
            throw Conflict(grainId, grainState.ETag);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    public void Dispose() => _sweep.Dispose();

    private void RemoveExpired() => _metrics.Expired(_table.RemoveExpired());

    private void ReportDropped(StoredState dropped)
    {
        _metrics.Evicted();
        var now = _clock.GetUtcNow();
        lock (_reportLock)
        {
            _droppedUnreported++;
            if (now - _lastDropReport < DropReportInterval)
            {
                return;
            }

            StoreLog.FullDropped(_logger, _capacity, _droppedUnreported, dropped.LastActiveAt);
            _droppedUnreported = 0;
            _lastDropReport = now;
        }
    }

    private static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    // An ETag this store did not hand out matches nothing, so a write with it is refused like a stale one.
    private static long? Version(string? etag) =>
        etag is null ? null : long.TryParse(etag, CultureInfo.InvariantCulture, out var version) ? version : -1;

    private static InconsistentStateException Conflict(GrainId grainId, string? etag) =>
        new($"Stale state for {grainId}: its ETag does not match the stored one.", storedEtag: null, currentEtag: etag);
}
