using Grains.Abstractions;

namespace Api.Tasks;

internal static class TaskCompletion
{
    // One grain call waits at most this long, well inside Orleans' response timeout; the caller
    // keeps asking until the task finishes or its own deadline passes.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    /// <summary>How long one grain call of a wait with <paramref name="within"/> left may wait inside the grain.</summary>
    public static TimeSpan Slice(TimeSpan within) => within < WaitSlice ? within : WaitSlice;

    /// <summary>Goes on waiting for <paramref name="latest"/> until it finishes or <paramref name="deadline"/> passes.</summary>
    public static async Task<TaskRecord?> WaitAsync(
        ISessionGrain session, TaskRecord latest, DateTimeOffset deadline, TimeProvider clock, CancellationToken cancellationToken)
    {
        TaskRecord? current = latest;
        for (var left = deadline - clock.GetUtcNow(); current is { IsFinished: false } && left > TimeSpan.Zero; left = deadline - clock.GetUtcNow())
        {
            current = await session.WaitForTask(current.Id, Slice(left), cancellationToken);
        }

        return current;
    }
}
