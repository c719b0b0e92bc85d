using System.Globalization;
using System.Text;

namespace LoadGenerator;

/// <summary>
/// The performance targets of the service against the plain-Kestrel limit, each as a ratio of steady figures of one
/// run, and whether the run met it; every service scenario must also reach 70 % of its steady rate by 10 s after start.
/// </summary>
internal static class TargetCheck
{
    private sealed record Goal(string What, string Scenario, int Size, string Figure, string ReferenceScenario, bool AtLeast, double Bound);

    private static readonly Goal[] Goals =
    [
        new("/ws echo, messages per second", "ws-echo", 1000, "messages_per_s", "ws-echo", AtLeast: true, 0.85),
        new("/ws echo, server CPU per message", "ws-echo", 1000, "cpu_us_per_op", "ws-echo", AtLeast: false, 1.5),
        new("session-socket JSON echo, messages per second (limit: plain echo)", "session-echo", 1000, "messages_per_s", "ws-echo", AtLeast: true, 0.75),
        new("/process 1000, calls per second", "process", 1000, "throughput_per_s", "process", AtLeast: true, 0.95),
        new("/process 1000, server CPU per call", "process", 1000, "cpu_us_per_op", "process", AtLeast: false, 2),
        new("/process 10000, server CPU per call", "process", 10000, "cpu_us_per_op", "process", AtLeast: false, 2),
    ];

    private const double FastStartBound = 0.7;

    public static string Render(List<Measurement> measurements, IEnumerable<string> services)
    {
        var table = new StringBuilder("| target | goal | measured | met |\n|---|--:|--:|---|\n");
        foreach (var service in services)
        {
            foreach (var goal in Goals)
            {
                var value = Find(measurements, service, goal.Scenario, goal.Size, goal.Figure);
                var reference = Find(measurements, "limit", goal.ReferenceScenario, goal.Size, goal.Figure);
                if (value is null || reference is not > 0)
                {
                    continue;
                }

                var ratio = value.Value / reference.Value;
                var met = goal.AtLeast ? ratio >= goal.Bound : ratio <= goal.Bound;
                table.Append(CultureInfo.InvariantCulture, $"| {service}: {goal.What} ÷ limit's | {(goal.AtLeast ? "≥" : "≤")} {goal.Bound:0.##} | {ratio:0.00} | {(met ? "yes" : "**no**")} |\n");
            }

            foreach (var measurement in measurements.Where(m => m.Target == service && m.Rounds is not null))
            {
                var share = measurement.Figures.GetValueOrDefault("rate_by_10s_vs_steady");
                table.Append(CultureInfo.InvariantCulture, $"| {service}: {measurement.Scenario} {measurement.Size}, rate by 10 s after start ÷ steady | ≥ {FastStartBound:0.##} | {share:0.00} | {(share >= FastStartBound ? "yes" : "**no**")} |\n");
            }
        }

        return table.ToString();
    }

    private static double? Find(List<Measurement> measurements, string target, string scenario, int size, string figure) =>
        measurements.LastOrDefault(m => m.Target == target && m.Scenario == scenario && m.Size == size)?.Figures.TryGetValue(figure, out var value) == true
            ? value
            : null;
}
