namespace LoadGenerator;

/// <summary>Latencies in milliseconds, recorded from many threads, read as percentiles at the end.</summary>
internal sealed class Latencies
{
    private readonly List<double> _values = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _values.Count;
            }
        }
    }

    public void Add(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _values.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>p50, p90, p99 and max, in milliseconds, under the given prefix.</summary>
    public IEnumerable<KeyValuePair<string, double>> Percentiles(string prefix)
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. _values.Order()];
        }

        yield return new($"{prefix}_p50_ms", At(sorted, 50));
        yield return new($"{prefix}_p90_ms", At(sorted, 90));
        yield return new($"{prefix}_p99_ms", At(sorted, 99));
        yield return new($"{prefix}_max_ms", At(sorted, 100));
    }

    private static double At(double[] sorted, double percentile) =>
        sorted.Length == 0 ? 0 : sorted[(int)Math.Clamp(Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
