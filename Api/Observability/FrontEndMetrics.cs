using System.Diagnostics.Metrics;
using Api.Hosting;

namespace Api.Observability;

/// <summary>The front end's side of the service's meter: open sockets, echoes and their latency, rejections.</summary>
internal sealed class FrontEndMetrics
{
    public const string MeterName = "Sessions.FrontEnd";

    private readonly UpDownCounter<long> _sockets;
    private readonly Counter<long> _echoes;
    private readonly Histogram<double> _echoDuration;
    private readonly Counter<long> _rejected;
    private readonly TimeProvider _clock;

    public FrontEndMetrics(IMeterFactory meters, [FromKeyedServices(FrontEndClock.Key)] TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _sockets = meter.CreateUpDownCounter<long>("sessions.sockets.open", "{socket}", "Open WebSockets, by socket.protocol (echo or session).");
        _echoes = meter.CreateCounter<long>("sessions.echo.messages", "{message}", "Echo messages answered.");
        _echoDuration = meter.CreateHistogram(
            "sessions.echo.duration",
            "s",
            "From an echo's arrival to its reply being ready, including retries while a silo fails.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _rejected = meter.CreateCounter<long>("sessions.requests.rejected", "{request}", "Requests and sockets refused, by reason.");
    }

    public void SocketOpened(string protocol) => _sockets.Add(1, new KeyValuePair<string, object?>("socket.protocol", protocol));

    public void SocketClosed(string protocol) => _sockets.Add(-1, new KeyValuePair<string, object?>("socket.protocol", protocol));

    /// <summary>The start of an echo, for <see cref="Echoed"/>.</summary>
    public long Timestamp() => _clock.GetTimestamp();

    public void Echoed(long startedTimestamp)
    {
        _echoes.Add(1);
        _echoDuration.Record(_clock.GetElapsedTime(startedTimestamp).TotalSeconds);
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
