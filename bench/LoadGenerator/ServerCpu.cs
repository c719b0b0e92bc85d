using System.Globalization;

namespace LoadGenerator;

/// <summary>The CPU time (user + system) the server's processes on this machine have used, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
internal static class ServerCpu
{
    public static TimeSpan? Used(List<int> pids) =>
        pids.Count == 0 ? null : pids.Select(Used).Aggregate(TimeSpan.Zero, (sum, used) => sum + used);

    private static TimeSpan Used(int id)
    {
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);

        // Linux reports these in clock ticks of 1/100 s (USER_HZ) on every architecture .NET runs on.
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
