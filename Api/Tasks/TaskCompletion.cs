using Grains.Abstractions;

namespace Api.Tasks;

internal static class TaskCompletion
{
    // One grain call waits at most this long, well inside Orleans' response timeout; the caller
    // keeps asking until the task finishes or its own deadline passes.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    /// <summary>The task once finished, or as it stands at the deadline; null if it is unknown.</summary>
    public static async Task<TaskRecord?> WaitAsync(
        ISessionGrain session, string taskId, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        var latest = await session.WaitForTask(taskId, TimeSpan.Zero, cancellationToken);
        for (var left = deadline - DateTimeOffset.UtcNow; latest is { IsFinished: false } && left > TimeSpan.Zero; left = deadline - DateTimeOffset.UtcNow)
        {
            latest = await session.WaitForTask(taskId, left < WaitSlice ? left : WaitSlice, cancellationToken);
        }

        return latest;
    }
}
