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

    /// <summary>
    /// CPU tasks running at once in one silo; the rest wait as <c>queued</c>. One core fewer than the machine has,
    /// so grain turns, sockets and health probes keep a core while hashing runs.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentCpu { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>How often a running task reports <c>task.progress</c> (only when its progress changed).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a session remembers an <c>Idempotency-Key</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Keys a session remembers at most; the oldest is forgotten first.</summary>
    [Range(1, 100_000)]
    public int IdempotencyKeysPerSession { get; set; } = 1000;

    /// <summary>The longest <c>cancelAfterSeconds</c> a task may declare.</summary>
    [Range(1, 7 * 24 * 3600)]
    public double MaxCancelAfterSeconds { get; set; } = 24 * 3600;
}
