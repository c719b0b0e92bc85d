using System.ComponentModel.DataAnnotations;

namespace Grains;

/// <summary>Limits on session tasks; bound from the <c>Tasks</c> section by silos and front ends alike.</summary>
public sealed class TaskOptions
{
    public const string SectionName = "Tasks";

    /// <summary>Queued plus running tasks one session may have; one more is refused (429).</summary>
    [Range(1, 10_000)]
    public int MaxActivePerSession { get; set; } = 16;

    /// <summary>The longest <c>sleep</c> task, in seconds.</summary>
    [Range(0.001, 7 * 24 * 3600)]
    public double MaxSeconds { get; set; } = 3600;

    /// <summary>The largest <c>cpu</c> task, in hashing rounds (about a million a second per core).</summary>
    [Range(1, long.MaxValue)]
    public long MaxWork { get; set; } = 1_000_000_000;

    /// <summary>Finished tasks a session keeps; older ones are dropped, oldest first.</summary>
    [Range(1, 10_000)]
    public int HistoryPerSession { get; set; } = 100;

    /// <summary>CPU tasks running at once in one silo; the rest wait as <c>queued</c>.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentCpu { get; set; } = Environment.ProcessorCount;
}
