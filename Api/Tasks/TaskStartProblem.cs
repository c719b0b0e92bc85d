using System.Globalization;

namespace Api.Tasks;

/// <summary>
/// How a refusal is told, the same over HTTP (a problem) and on the session socket (an error message); only the name of
/// the idempotency key differs: the <c>Idempotency-Key</c> header, or the <c>idempotencyKey</c> field.
/// </summary>
internal sealed record TaskStartProblem(int Status, string Code, string Title, string Detail, string? Field, int? RetryAfterSeconds)
{
    /// <returns>Null for <see cref="TaskStartRefusal.SessionGone"/>, which each surface answers as an unknown session.</returns>
    public static TaskStartProblem? Of(TaskStartRefusal refusal, int maxActivePerSession, string keyName) => refusal switch
    {
        TaskStartRefusal.TooManyActiveTasks => new(StatusCodes.Status429TooManyRequests, "too_many_active_tasks", "Too many active tasks",
            $"The session already has {maxActivePerSession.ToString(CultureInfo.InvariantCulture)} queued or running tasks (Tasks:MaxActivePerSession). Retry when one finishes.",
            null, RetryAfterSeconds: 1),
        TaskStartRefusal.IdempotencyKeyReused => new(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency key reused",
            $"This {keyName} was already used with a different task; use a new key for a new task.", keyName, null),
        TaskStartRefusal.OriginalTaskForgotten => new(StatusCodes.Status409Conflict, "original_task_forgotten", "Original task no longer kept",
            $"This {keyName} started a task that has since left the session's history (Tasks:HistoryPerSession); nothing was started.", keyName, null),
        _ => null,
    };
}
