using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoadGenerator;

/// <summary>One scenario's run against one target: its figures by name, and its failures by kind.</summary>
internal sealed record Measurement(
    string Target,
    string Scenario,
    int Size,
    double Seconds,
    Dictionary<string, double> Figures,
    Dictionary<string, int> Errors)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Each round, when the scenario was repeated until steady (<c>--min-seconds</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Round>? Rounds { get; init; }

    [JsonIgnore]
    public int ErrorCount => Errors.Values.Sum();

    /// <summary>The figure that says how fast the scenario went: calls or messages per second.</summary>
    [JsonIgnore]
    public string RateFigure => Scenario == "process" ? "throughput_per_s" : "messages_per_s";

    /// <summary>The figure that counts the operations the rate is made of.</summary>
    [JsonIgnore]
    public string CountFigure => Scenario == "process" ? "ok" : "echoed";

    [JsonIgnore]
    public string LatencyP99Figure => Scenario == "process" ? "latency_p99_ms" : "rtt_p99_ms";

    public string Describe()
    {
        var figures = string.Join(", ", Figures.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value:0.###}")));
        var errors = ErrorCount == 0 ? "no errors" : "errors: " + string.Join(", ", Errors.Select(e => $"{e.Key} {e.Value}"));
        return string.Create(CultureInfo.InvariantCulture, $"{Target} {Scenario} {Size}: {figures}; {errors}; {Seconds:0.00} s");
    }

    public async Task SaveAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, this, Json);
    }

    public static Measurement Load(string path) =>
        JsonSerializer.Deserialize<Measurement>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds no measurement.");
}
