using System.ComponentModel.DataAnnotations;

namespace Grains;

/// <summary>How session grains keep their state; bound from the <c>Sessions</c> section.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>
    /// How often a session with open connections or running tasks writes counters that changed
    /// (echo counts, last activity). Structural changes are written at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);
}
