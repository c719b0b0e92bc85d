using Grains.Abstractions;

namespace Grains;

/// <summary>The <c>Idempotency-Key</c>s a session remembers: within a window, and a bounded number of them.</summary>
internal static class IdempotencyKeys
{
    /// <summary>The answer to a key seen before, or null for a new key.</summary>
    public static TaskStartResult? Repeat(SessionState session, string? key, TaskSpec spec)
    {
        if (key is null || session.IdempotencyKeys.Find(entry => entry.Key == key) is not { } seen)
        {
            return null;
        }

        if (seen.Spec != spec)
        {
            return new TaskStartResult { Outcome = TaskStartOutcome.KeyReusedWithOtherSpec };
        }

        return session.Tasks.Find(task => task.Id == seen.TaskId) is { } original
            ? new TaskStartResult { Outcome = TaskStartOutcome.Repeated, Task = original }
            : new TaskStartResult { Outcome = TaskStartOutcome.RepeatedTaskForgotten };
    }

    /// <summary>Forgets keys older than the window, and the oldest beyond the bound less one, to make room for a new key.</summary>
    public static void ForgetOld(SessionState session, TaskOptions options, DateTimeOffset now)
    {
        var keys = session.IdempotencyKeys;
        var fresh = keys.FindIndex(entry => now - entry.CreatedAt < options.IdempotencyWindow);
        keys.RemoveRange(0, fresh < 0 ? keys.Count : fresh);
        var excess = keys.Count - options.IdempotencyKeysPerSession + 1;
        if (excess > 0)
        {
            keys.RemoveRange(0, excess);
        }
    }
}
