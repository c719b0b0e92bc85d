using System.ComponentModel.DataAnnotations;

namespace Api.WarmUp;

/// <summary>The start-up warm-up (<see cref="StartupWarmUp"/>); bound from the <c>WarmUp</c> section.</summary>
public sealed class WarmUpOptions
{
    public const string SectionName = "WarmUp";

    /// <summary>Whether the front end drives its own hot paths before it reports ready.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The longest the warm-up may hold readiness back; it stops early once the JIT has settled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Clients the warm-up runs at once; each makes a session, a task, echoes on both sockets and deletes it.</summary>
    [Range(1, 256)]
    public int Clients { get; set; } = 8;
}
