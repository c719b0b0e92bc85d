using System.Globalization;
using System.Text;

namespace LoadGenerator;

/// <summary>
/// Reads every measurement in a results folder and writes the side-by-side table (<c>summary.md</c>, also printed)
/// with each service figure's ratio to the plain-Kestrel limit and to FastAPI, and a bar chart (<c>chart.svg</c>).
/// </summary>
internal static class Report
{
    private const string Limit = "limit";
    private const string FastApi = "fastapi";
    private static readonly string[] KnownOrder = [Limit, FastApi, "flask", "service", "service-split"];

    /// <summary>The figures worth comparing, per scenario, in table order.</summary>
    private static readonly Dictionary<string, string[]> Headlines = new(StringComparer.Ordinal)
    {
        ["process"] = ["throughput_per_s", "cpu_us_per_op", "first_round_per_s", "first_round_cpu_us_per_op", "rate_by_10s_vs_steady", "steady_after_s", "latency_p50_ms", "latency_p99_ms", "errors"],
        ["ws-echo"] = ["messages_per_s", "cpu_us_per_op", "first_round_per_s", "first_round_cpu_us_per_op", "rate_by_10s_vs_steady", "steady_after_s", "rtt_p50_ms", "rtt_p99_ms", "wrong", "errors"],
        ["session-echo"] = ["messages_per_s", "cpu_us_per_op", "first_round_per_s", "first_round_cpu_us_per_op", "rate_by_10s_vs_steady", "steady_after_s", "rtt_p50_ms", "rtt_p99_ms", "wrong", "errors"],
        ["ws-hold"] = ["held", "kb_per_socket", "errors"],
        ["sessions"] = ["created", "kb_per_session", "created_per_s", "errors"],
        ["tasks"] = ["completed", "tasks_per_s", "latency_p99_ms", "events_per_s", "errors"],
    };

    public static int Run(string folder)
    {
        // Repeated scenarios are summarized again from their saved rounds, so the table follows the current rule.
        var measurements = Directory.EnumerateFiles(folder, "*.json").Select(Measurement.Load)
            .Select(m => m.Rounds is { Count: > 0 } rounds ? Rounds.Summarize(rounds, m) : m)
            .ToList();
        if (measurements.Count == 0)
        {
            Console.Error.WriteLine($"No measurements in {folder}.");
            return 2;
        }

        var targets = measurements.Select(m => m.Target).Distinct()
            .OrderBy(t => Array.IndexOf(KnownOrder, t) is var i && i >= 0 ? i : KnownOrder.Length).ThenBy(t => t, StringComparer.Ordinal).ToList();
        var compared = targets.Where(t => t is not Limit and not FastApi && t.StartsWith("service", StringComparison.Ordinal)).ToList();
        var rows = Rows(measurements).ToList();
        var withFastApi = targets.Contains(FastApi);

        var table = new StringBuilder();
        table.Append("| scenario | figure | ").AppendJoin(" | ", targets);
        foreach (var target in compared)
        {
            table.Append(CultureInfo.InvariantCulture, $" | {target} ÷ limit").Append(withFastApi ? $" | {target} ÷ fastapi" : "");
        }

        table.AppendLine(" |");
        table.Append("|---|---|").Append(string.Concat(Enumerable.Repeat("--:|", targets.Count + ((withFastApi ? 2 : 1) * compared.Count)))).AppendLine();
        foreach (var row in rows)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {row.Scenario} {row.Size} | {row.Figure} | ")
                .AppendJoin(" | ", targets.Select(t => Format(row.Value(measurements, t))));
            foreach (var target in compared)
            {
                var value = row.Value(measurements, target);
                var reference = row with { Scenario = ComparedScenario(row.Scenario) };
                table.Append(" | ").Append(Ratio(value, reference.Value(measurements, Limit)));
                if (withFastApi)
                {
                    table.Append(" | ").Append(Ratio(value, reference.Value(measurements, FastApi)));
                }
            }

            table.AppendLine(" |");
        }

        table.AppendLine().AppendLine("Targets (steady figures of this run; `session-echo` is compared with the limit's plain `ws-echo`):").AppendLine()
            .Append(TargetCheck.Render(measurements, compared));
        var summary = table.ToString();
        Console.WriteLine(summary);
        File.WriteAllText(Path.Combine(folder, "summary.md"), summary);
        File.WriteAllText(Path.Combine(folder, "chart.svg"), Chart.Render(rows.Where(r => r.Charted).ToList(), measurements, targets));
        Console.WriteLine($"Wrote {Path.Combine(folder, "summary.md")} and {Path.Combine(folder, "chart.svg")}.");
        return 0;
    }

    private static IEnumerable<Row> Rows(List<Measurement> measurements) =>
        measurements.Select(m => (m.Scenario, m.Size)).Distinct()
            .OrderBy(k => Headlines.Keys.ToList().IndexOf(k.Scenario)).ThenBy(k => k.Size)
            .SelectMany(k => Headlines.GetValueOrDefault(k.Scenario, ["errors"]).Select(f => new Row(k.Scenario, k.Size, f)));

    /// <summary>The session socket's JSON echo has no counterpart on the peers; it is compared with their plain echo.</summary>
    private static string ComparedScenario(string scenario) => scenario == "session-echo" ? "ws-echo" : scenario;

    private static string Format(double? value) => value switch
    {
        null => "n/a",
        >= 100 => value.Value.ToString("#,0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r > 0 ? (v / r).ToString("0.00", CultureInfo.InvariantCulture) : "";

    /// <summary>One figure of one scenario at one size, across targets.</summary>
    internal sealed record Row(string Scenario, int Size, string Figure)
    {
        /// <summary>Rates and memory are charted; counts and percentiles stay in the table.</summary>
        public bool Charted => Figure is "throughput_per_s" or "messages_per_s" or "tasks_per_s" or "kb_per_socket" or "kb_per_session";

        public double? Value(List<Measurement> measurements, string target)
        {
            var measurement = measurements.LastOrDefault(m => m.Target == target && m.Scenario == Scenario && m.Size == Size);
            return measurement is null ? null
                : Figure == "errors" ? measurement.ErrorCount
                : measurement.Figures.TryGetValue(Figure, out var value) ? value : null;
        }
    }
}
