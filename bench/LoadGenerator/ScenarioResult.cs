using System.Globalization;

namespace LoadGenerator;

internal sealed record ScenarioResult(
    string Scenario,
    int Concurrency,
    TimeSpan Elapsed,
    IReadOnlyList<TimeSpan> SortedLatencies,
    IReadOnlyDictionary<string, int> ErrorsByKind)
{
    public int Errors => ErrorsByKind.Values.Sum();

    public TimeSpan Percentile(double p) =>
        SortedLatencies.Count == 0 ? TimeSpan.Zero : SortedLatencies[(int)Math.Min(SortedLatencies.Count - 1, Math.Ceiling(p / 100 * SortedLatencies.Count) - 1)];

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Scenario}: {Concurrency} concurrent, {SortedLatencies.Count} ok, {Errors} errors{FormatErrors()}, " +
        $"elapsed {Elapsed.TotalSeconds:F2} s, throughput {SortedLatencies.Count / Elapsed.TotalSeconds:F0}/s, " +
        $"latency p50 {Percentile(50).TotalSeconds:F3} s, p90 {Percentile(90).TotalSeconds:F3} s, p99 {Percentile(99).TotalSeconds:F3} s, max {Percentile(100).TotalSeconds:F3} s");

    private string FormatErrors() => Errors == 0 ? "" : " (" + string.Join(", ", ErrorsByKind.Select(e => $"{e.Key}: {e.Value}")) + ")";
}
