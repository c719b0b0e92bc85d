using System.Diagnostics;

namespace LoadGenerator;

/// <summary>
/// Latencies in milliseconds. Each worker records into its own <see cref="Recorder"/> (no lock per sample);
/// the recorders are merged into percentiles at the end.
/// </summary>
internal sealed class Latencies
{
    private readonly List<Recorder> _recorders = [];
    private readonly Recorder _shared;
    private long _count;

    public Latencies() => _shared = NewRecorder();

    public long Count => Interlocked.Read(ref _count);

    public Recorder NewRecorder()
    {
        var recorder = new Recorder(this);
        lock (_recorders)
        {
            _recorders.Add(recorder);
        }

        return recorder;
    }

    /// <summary>Records from any thread, for scenarios with one sample per task.</summary>
    public void Add(TimeSpan elapsed)
    {
        lock (_shared)
        {
            _shared.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>p50, p90, p99 and max, in milliseconds, under the given prefix.</summary>
    public IEnumerable<KeyValuePair<string, double>> Percentiles(string prefix)
    {
        double[] sorted;
        lock (_recorders)
        {
            sorted = [.. _recorders.SelectMany(r => r.Values).Order()];
        }

        yield return new($"{prefix}_p50_ms", At(sorted, 50));
        yield return new($"{prefix}_p90_ms", At(sorted, 90));
        yield return new($"{prefix}_p99_ms", At(sorted, 99));
        yield return new($"{prefix}_max_ms", At(sorted, 100));
    }

    private static double At(double[] sorted, double percentile) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Clamp(Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>One worker's samples; used by one thread at a time.</summary>
    internal sealed class Recorder(Latencies owner)
    {
        public List<double> Values { get; } = [];

        public void Add(double milliseconds)
        {
            Values.Add(milliseconds);
            Interlocked.Increment(ref owner._count);
        }

        public void AddSince(long startTimestamp) => Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
    }
}
