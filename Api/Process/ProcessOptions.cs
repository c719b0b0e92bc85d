using System.ComponentModel.DataAnnotations;

namespace Api.Process;

/// <summary>The seed's <c>GET /process</c>; bound from the <c>Process</c> section.</summary>
internal sealed class ProcessOptions
{
    public const string SectionName = "Process";

    /// <summary>How long the session's task waits before answering, in seconds (the seed's 5).</summary>
    [Range(0.001, 3600)]
    public double Seconds { get; set; } = 5;

    /// <summary>How much longer than <see cref="Seconds"/> a call may take before it answers 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);
}
