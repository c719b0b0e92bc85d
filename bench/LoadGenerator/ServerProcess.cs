using System.Globalization;

namespace LoadGenerator;

/// <summary>When the server's first process on this machine started, from <c>/proc/&lt;pid&gt;/stat</c> and the boot time.</summary>
internal static class ServerProcess
{
    public static DateTimeOffset? StartedAt(List<int> pids) => pids.Count == 0 ? null : pids.Min(StartedAt);

    private static DateTimeOffset StartedAt(int id)
    {
        // Field 22 (starttime) counts clock ticks of 1/100 s since boot; /proc/stat's btime is the boot in Unix seconds.
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[19], CultureInfo.InvariantCulture);
        var bootLine = File.ReadLines("/proc/stat").First(line => line.StartsWith("btime ", StringComparison.Ordinal));
        var boot = DateTimeOffset.FromUnixTimeSeconds(long.Parse(bootLine[6..], CultureInfo.InvariantCulture));
        return boot + TimeSpan.FromSeconds(ticks / 100.0);
    }
}
