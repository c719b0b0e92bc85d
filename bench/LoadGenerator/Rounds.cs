using System.Diagnostics;

namespace LoadGenerator;

/// <summary>
/// Runs a scenario round after round on one server process for at least <c>--min-seconds</c>, until its last three
/// rounds together agree with the three before them (rate and server CPU per operation each within ±15 %) or
/// <c>--max-seconds</c> pass. The result's figures are the steady ones (the last third of the rounds) beside the first round's, how soon
/// after the server started the rates settled, and what share of the steady rate the server reached by 10 s.
/// </summary>
internal static class Rounds
{
    private const int SteadyWindow = 3;
    private const double SteadyTolerance = 0.15;
    private static readonly TimeSpan FastStartWindow = TimeSpan.FromSeconds(10);

    public static async Task<Measurement> RunAsync(Func<BenchOptions, Task<Measurement>> scenario, BenchOptions options)
    {
        var serverStart = ServerProcess.StartedAt(options.ServerPids) ?? DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var rounds = new List<Round>();
        Measurement last;
        do
        {
            var startedAfter = DateTimeOffset.UtcNow - serverStart;
            var cpuBefore = ServerCpu.Used(options.ServerPids);
            last = await scenario(options);
            var cpu = ServerCpu.Used(options.ServerPids) - cpuBefore;
            var round = Round.Of(rounds.Count + 1, startedAfter, DateTimeOffset.UtcNow - serverStart, last, cpu);
            rounds.Add(round);
            Console.Error.WriteLine($"  round {round.Describe()}");
        }
        while ((clock.Elapsed < options.MinTime || !IsSteady(rounds)) && clock.Elapsed < options.MaxTime);

        return Summarize(rounds, last);
    }

    /// <summary>The last three rounds together agree with the three before them (rate and CPU per operation).</summary>
    private static bool IsSteady(List<Round> rounds) =>
        rounds.Count >= 2 * SteadyWindow
        && Agree(Window.Of(rounds[^SteadyWindow..]), Window.Of(rounds[^(2 * SteadyWindow)..^SteadyWindow]));

    private static bool Agree(Window window, Window reference) =>
        Near(window.Rate, reference.Rate) && Near(window.CpuMicrosPerOp, reference.CpuMicrosPerOp);

    private static bool Near(double value, double reference) => Math.Abs(value - reference) <= SteadyTolerance * reference;

    /// <summary>
    /// The steady figures are the last third of the rounds (at least three) taken together: one round's CPU time is
    /// read in ticks of 10 ms, too coarse for a round of a thousand calls on its own. Percentiles come from the window's
    /// round of median rate. Also used by the report to summarize saved rounds again.
    /// </summary>
    public static Measurement Summarize(List<Round> rounds, Measurement last)
    {
        var tail = rounds[^Math.Min(rounds.Count, Math.Max(SteadyWindow, rounds.Count / 3))..];
        var steady = Window.Of(tail);
        var median = tail.OrderBy(r => r.Rate).ElementAt(tail.Count / 2);

        // Steady from the first round after which every round's rate stays within the tolerance of the steady rate.
        var from = rounds.Count - 1;
        while (from > 0 && Near(rounds[from - 1].Rate, steady.Rate))
        {
            from--;
        }

        var byFastStart = rounds.LastOrDefault(r => r.EndedAfter <= FastStartWindow);
        var figures = new Dictionary<string, double>(median.Figures.Count > 0 ? median.Figures : last.Figures, StringComparer.Ordinal)
        {
            [last.RateFigure] = steady.Rate,
            ["cpu_us_per_op"] = steady.CpuMicrosPerOp,
            ["first_round_per_s"] = rounds[0].Rate,
            ["first_round_cpu_us_per_op"] = rounds[0].CpuMicrosPerOp,
            ["rate_by_10s_vs_steady"] = byFastStart is null ? 0 : byFastStart.Rate / steady.Rate,
            ["steady_after_s"] = rounds[from].StartedAfter.TotalSeconds,
            ["steady"] = IsSteady(rounds) ? 1 : 0,
            ["steady_rounds"] = tail.Count,
            ["rounds"] = rounds.Count,
        };
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (kind, count) in rounds.SelectMany(r => r.Errors))
        {
            errors[kind] = errors.GetValueOrDefault(kind) + count;
        }

        var seconds = rounds.Sum(r => r.Seconds);
        return last with { Seconds = seconds, Figures = figures, Errors = errors, Rounds = rounds };
    }

    /// <summary>Rounds taken together: all their operations over all their time, all their CPU over all their operations.</summary>
    private readonly record struct Window(double Rate, double CpuMicrosPerOp)
    {
        public static Window Of(IReadOnlyCollection<Round> rounds)
        {
            var operations = rounds.Sum(r => r.Rate * r.Seconds);
            var seconds = rounds.Sum(r => r.Seconds);
            var cpuMicros = rounds.Sum(r => r.CpuMicrosPerOp * r.Rate * r.Seconds);
            return new Window(seconds > 0 ? operations / seconds : 0, operations > 0 ? cpuMicros / operations : 0);
        }
    }
}
