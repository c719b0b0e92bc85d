using System.Globalization;

namespace LoadGenerator;

/// <summary>Command-line options shared by every scenario: <c>--name value</c> pairs after the scenario name.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values;

    private BenchOptions(Dictionary<string, string> values) => _values = values;

    public Uri Url => new(Text("url", "http://127.0.0.1:5000"));

    public string Target => Text("target", Url.Authority);

    public int Concurrency => Number("concurrency", 100);

    public int Messages => Number("messages", 100);

    public int Size => Number("size", 32);

    public int Tasks => Number("tasks", 3);

    /// <summary>The soak's total calls.</summary>
    public int Calls => Number("calls", 220_000);

    /// <summary>How often the soak samples the server's memory.</summary>
    public TimeSpan SampleInterval => TimeSpan.FromSeconds(Number("sample-seconds", 2));

    public double TaskSeconds => double.Parse(Text("task-seconds", "1"), CultureInfo.InvariantCulture);

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Number("timeout", 60));

    public TimeSpan Settle => TimeSpan.FromSeconds(Number("settle", 5));

    /// <summary>The process whose memory is measured: the first of <c>--server-pid</c>.</summary>
    public int? ServerPid => ServerPids.Count > 0 ? ServerPids[0] : null;

    /// <summary>Every process the server is made of (<c>--server-pid 12,34</c>): their CPU is added up.</summary>
    public List<int> ServerPids => _values.TryGetValue("server-pid", out var pids)
        ? [.. pids.Split(',').Select(pid => int.Parse(pid, CultureInfo.InvariantCulture))]
        : [];

    public string? Output => _values.GetValueOrDefault("out");

    public bool Warmup => _values.ContainsKey("warmup");

    /// <summary>With <c>--min-seconds</c>, the scenario repeats on the same server until steady (see <see cref="Rounds"/>).</summary>
    public bool RepeatsUntilSteady => _values.ContainsKey("min-seconds");

    public TimeSpan MinTime => TimeSpan.FromSeconds(Number("min-seconds", 60));

    /// <summary>The most a repeated scenario runs when its rounds never agree: three times the minimum unless set.</summary>
    public TimeSpan MaxTime => TimeSpan.FromSeconds(Number("max-seconds", 3 * Number("min-seconds", 60)));

    /// <summary>How long warm-up rounds go on before the measured one (<c>--warmup-seconds</c>, 10 by default).</summary>
    public TimeSpan WarmupTime => TimeSpan.FromSeconds(Number("warmup-seconds", 10));

    /// <summary>
    /// A smaller, unsaved round of the same scenario: at most 1,000 clients (100 where memory is measured, so the
    /// measured round does not reuse memory the warm-up freed), 1,000 messages (enough calls for the JIT to
    /// finish optimizing the hot path), a second of settling.
    /// </summary>
    public BenchOptions ForWarmup(bool measuresMemory)
    {
        var values = new Dictionary<string, string>(_values, StringComparer.Ordinal)
        {
            ["concurrency"] = Math.Min(Concurrency, measuresMemory ? 100 : 1000).ToString(CultureInfo.InvariantCulture),
            ["messages"] = Math.Min(Messages, 1000).ToString(CultureInfo.InvariantCulture),
            ["settle"] = "1",
        };
        values.Remove("out");
        values.Remove("warmup");
        return new BenchOptions(values);
    }

    public static BenchOptions Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    values[name] = "true";
                }

                name = arg[2..];
            }
            else if (name is not null)
            {
                values[name] = arg;
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'; options are --name value.");
            }
        }

        if (name is not null)
        {
            values[name] = "true";
        }

        return new BenchOptions(values);
    }

    private string Text(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    private int Number(string name, int fallback) =>
        _values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
