using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grains;

namespace ClusterHosting;

/// <summary>The session store's instruments, on the silo's meter: what it holds and what it dropped, and why.</summary>
internal sealed class StoreMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _dropped;

    public StoreMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(GrainServiceCollectionExtensions.MeterName);
        _dropped = _meter.CreateCounter<long>(
            "sessions.store.dropped", "{session}", "Sessions the in-process store removed, by reason: expired (past their retention) or evicted (the store was full).");
    }

    public void ObserveStored(Func<int> count) => _meter.CreateObservableUpDownCounter(
        "sessions.store.stored", count, "{session}", "Sessions the in-process store holds.");

    public void Expired(int count)
    {
        if (count > 0)
        {
            _dropped.Add(count, new TagList { { "reason", "expired" } });
        }
    }

    public void Evicted() => _dropped.Add(1, new TagList { { "reason", "evicted" } });
}
