using System.Diagnostics;

namespace LoadGenerator;

/// <summary>
/// Runs a scenario round after round on one server process for at least <c>--min-seconds</c>, until its last three
/// rounds agree (rate and server CPU per operation each within ±15 % of the median round) or <c>--max-seconds</c> pass.
/// The result's figures are the steady ones (the round of median rate among the last three) beside the first round's, how soon
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

    private static bool IsSteady(List<Round> rounds) =>
        rounds.Count >= SteadyWindow && WithinTolerance(rounds[^SteadyWindow..], MedianOf(rounds[^SteadyWindow..]));

    private static bool WithinTolerance(IEnumerable<Round> rounds, Round median) =>
        rounds.All(r => Near(r.Rate, median.Rate) && Near(r.CpuMicrosPerOp, median.CpuMicrosPerOp));

    private static bool Near(double value, double reference) => Math.Abs(value - reference) <= SteadyTolerance * reference;

    /// <summary>The round with the median rate: its figures (percentiles included) stand for the steady state.</summary>
    private static Round MedianOf(List<Round> rounds) => rounds.OrderBy(r => r.Rate).ElementAt(rounds.Count / 2);

    private static Measurement Summarize(List<Round> rounds, Measurement last)
    {
        var tail = rounds[^Math.Min(SteadyWindow, rounds.Count)..];
        var steady = MedianOf(tail);

        // Steady from the first round after which every round stays within the tolerance of the steady figures.
        var from = rounds.Count - 1;
        while (from > 0 && WithinTolerance([rounds[from - 1]], steady))
        {
            from--;
        }

        var byFastStart = rounds.LastOrDefault(r => r.EndedAfter <= FastStartWindow);
        var figures = new Dictionary<string, double>(steady.Figures, StringComparer.Ordinal)
        {
            ["cpu_us_per_op"] = steady.CpuMicrosPerOp,
            ["first_round_per_s"] = rounds[0].Rate,
            ["first_round_cpu_us_per_op"] = rounds[0].CpuMicrosPerOp,
            ["rate_by_10s_vs_steady"] = byFastStart is null ? 0 : byFastStart.Rate / steady.Rate,
            ["steady_after_s"] = rounds[from].StartedAfter.TotalSeconds,
            ["steady"] = IsSteady(rounds) ? 1 : 0,
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
}
