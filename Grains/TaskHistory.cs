using Grains.Abstractions;

namespace Grains;

/// <summary>The finished tasks a session keeps: the newest, up to a bound; unfinished ones are never dropped.</summary>
internal static class TaskHistory
{
    /// <returns>The ids of the records dropped, or null when none was.</returns>
    public static HashSet<string>? DropOldest(List<TaskRecord> tasks, int keepFinished)
    {
        var excess = tasks.Count(task => task.IsFinished) - keepFinished;
        if (excess <= 0)
        {
            return null;
        }

        var dropped = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Count && dropped.Count < excess;)
        {
            if (tasks[i].IsFinished)
            {
                dropped.Add(tasks[i].Id);
                tasks.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }

        return dropped;
    }
}
