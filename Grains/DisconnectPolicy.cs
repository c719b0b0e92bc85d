using System.Globalization;
using Grains.Abstractions;

namespace Grains;

/// <summary>
/// The <c>onDisconnect</c> policy: a task with <c>cancelAfterSeconds</c> is cancelled once the session has had no open
/// socket for that long. A task started while no socket was open gets its full allowance from its start.
/// </summary>
internal static class DisconnectPolicy
{
    public static DateTimeOffset Deadline(TaskRecord task, DateTimeOffset noSocketSince) =>
        (task.CreatedAt > noSocketSince ? task.CreatedAt : noSocketSince) + task.CancelAfterDisconnect!.Value;

    /// <summary>The earliest deadline of the running tasks, while the session has no socket.</summary>
    public static DateTimeOffset? Earliest(TaskRunner tasks, ConnectionTable sockets)
    {
        if (sockets.Count > 0)
        {
            return null;
        }

        // A loop, not LINQ: this runs at every task start and finish, and most sessions have no such task. Tasks
        // already being cancelled are skipped: their cancellation completes on a later turn, and a deadline
        // already past would bring the check back at once, starving that turn.
        DateTimeOffset? earliest = null;
        foreach (var running in tasks.Running)
        {
            if (!running.Cancellation.IsCancellationRequested && tasks.Find(running.TaskId) is { CancelAfterDisconnect: not null } task
                && Deadline(task, sockets.NoSocketSince) is var deadline && (earliest is null || deadline < earliest))
            {
                earliest = deadline;
            }
        }

        return earliest;
    }

    /// <summary>Cancels the running tasks whose deadline has passed, while the session has no socket.</summary>
    public static void CancelDue(TaskRunner tasks, ConnectionTable sockets, DateTimeOffset now)
    {
        if (sockets.Count > 0)
        {
            return;
        }

        foreach (var running in tasks.Running)
        {
            if (tasks.Find(running.TaskId) is { CancelAfterDisconnect: { } allowance } task && Deadline(task, sockets.NoSocketSince) <= now)
            {
                var seconds = allowance.TotalSeconds.ToString(CultureInfo.InvariantCulture);
                running.Cancel($"Cancelled by its onDisconnect policy: the session had no open socket for {seconds} s.");
            }
        }
    }
}
