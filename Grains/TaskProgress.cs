using Grains.Abstractions;

namespace Grains;

/// <summary>How far an unfinished task got: a sleep by the clock, cpu work by the rounds done. 100 only once it ends.</summary>
internal static class TaskProgress
{
    public static TaskRecord Live(TaskRecord task, RunningTask running, DateTimeOffset now)
    {
        if (task.IsFinished)
        {
            return task;
        }

        double fraction = task.Kind switch
        {
            SessionTaskKind.Sleep when task.StartedAt is { } started => (now - started) / task.Duration,
            SessionTaskKind.Cpu when task.Work > 0 => (double)running.WorkDone / task.Work,
            _ => 0,
        };
        return task with { Progress = (int)Math.Clamp(fraction * 100, 0, 99) };
    }
}
