using System.Globalization;

namespace LoadGenerator;

/// <summary>The resident memory of a server process on this machine, from <c>/proc/&lt;pid&gt;/status</c>.</summary>
internal static class ServerMemory
{
    public static long? ResidentBytes(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }

        var line = File.ReadLines($"/proc/{id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
