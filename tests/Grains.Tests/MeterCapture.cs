using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Tests;

/// <summary>Listens to the instruments of a meter factory of its own: the store's counters, read as a scrape would.</summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();
    private long _stored;

    public MeterCapture()
    {
        Factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == Factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "sessions.store.dropped")
            {
                var reason = tags.ToArray().Single(tag => tag.Key == "reason").Value as string;
                _sums.AddOrUpdate(reason!, value, (_, sum) => sum + value);
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "sessions.store.stored")
            {
                Interlocked.Exchange(ref _stored, value);
            }
        });
        _listener.Start();
    }

    public IMeterFactory Factory { get; }

    public long Dropped(string reason) => _sums.GetValueOrDefault(reason);

    public long Stored()
    {
        _listener.RecordObservableInstruments();
        return Interlocked.Read(ref _stored);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
