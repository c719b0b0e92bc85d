using System.Globalization;

namespace LoadGenerator;

/// <summary>One round of a repeated scenario: when it ran (from the server's start), its rate and the server's CPU per operation.</summary>
internal sealed record Round(
    int Index,
    TimeSpan StartedAfter,
    TimeSpan EndedAfter,
    double Seconds,
    double Rate,
    double CpuMicrosPerOp,
    double LatencyP99Ms,
    Dictionary<string, int> Errors)
{
    /// <summary>Every figure of the round (percentiles, counts), for the steady round's result.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Dictionary<string, double> Figures { get; init; } = [];


    public static Round Of(int index, TimeSpan startedAfter, TimeSpan endedAfter, Measurement measurement, TimeSpan? cpu)
    {
        var operations = measurement.Figures.GetValueOrDefault(measurement.CountFigure);
        var cpuMicros = cpu is { } used && operations > 0 ? used.TotalMicroseconds / operations : 0;
        return new Round(
            index,
            startedAfter,
            endedAfter,
            measurement.Seconds,
            measurement.Figures.GetValueOrDefault(measurement.RateFigure),
            cpuMicros,
            measurement.Figures.GetValueOrDefault(measurement.LatencyP99Figure),
            measurement.Errors)
        {
            Figures = measurement.Figures,
        };
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Index} at {StartedAfter.TotalSeconds:0.0}-{EndedAfter.TotalSeconds:0.0} s: {Rate:0} /s, {CpuMicrosPerOp:0} µs server CPU per op, p99 {LatencyP99Ms:0.#} ms, {Errors.Values.Sum()} errors");
}
