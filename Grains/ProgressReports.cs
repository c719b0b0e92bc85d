using Grains.Abstractions;

namespace Grains;

/// <summary>Which running tasks have progress worth an event: those whose progress changed since their last one.</summary>
internal sealed class ProgressReports(TimeProvider clock)
{
    private readonly Dictionary<string, int> _reported = new(StringComparer.Ordinal);

    /// <summary>The running tasks whose progress changed since it was last reported, as they are now.</summary>
    public List<TaskRecord> Changed(TaskRunner tasks)
    {
        var changed = new List<TaskRecord>();
        foreach (var running in tasks.Running)
        {
            if (tasks.Find(running.TaskId) is not { Status: SessionTaskStatus.Running } task)
            {
                continue;
            }

            var live = TaskProgress.Live(task, running, clock.GetUtcNow());
            if (!_reported.TryGetValue(task.Id, out var reported) || reported != live.Progress)
            {
                _reported[task.Id] = live.Progress;
                changed.Add(live);
            }
        }

        return changed;
    }

    /// <summary>Forgets what was reported of tasks no longer running.</summary>
    public void Forget(string taskId) => _reported.Remove(taskId);
}
