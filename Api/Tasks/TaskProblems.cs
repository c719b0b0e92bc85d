using Api.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Tasks;

internal static class TaskProblems
{
    public static ProblemHttpResult InvalidRequest(TaskRequestError error) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid field '{error.Field}'",
        detail: error.Message,
        extensions: new Dictionary<string, object?> { ["field"] = error.Field });

    public static ProblemHttpResult InvalidJson(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The body is not valid JSON",
        detail: detail,
        extensions: new Dictionary<string, object?> { ["field"] = "$" });

    public static ProblemHttpResult NotJson() => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported Media Type",
        detail: "Send the body as JSON with Content-Type: application/json (UTF-8).");

    /// <summary>The HTTP answer to a start that started nothing.</summary>
    public static ProblemHttpResult Refused(TaskStartRefusal refusal, HttpContext context, int maxActivePerSession) => refusal switch
    {
        TaskStartRefusal.TooManyActiveTasks => TooManyActive(context, maxActivePerSession),
        TaskStartRefusal.IdempotencyKeyReused => IdempotencyKeyReused(),
        TaskStartRefusal.OriginalTaskForgotten => RepeatedTaskForgotten(),
        _ => SessionProblems.Unauthorized(context),
    };

    private static ProblemHttpResult TooManyActive(HttpContext context, int limit)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many active tasks",
            detail: $"The session already has {limit} queued or running tasks (Tasks:MaxActivePerSession). Retry when one finishes.");
    }

    public static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Task not found",
        detail: "The session has no task with this id (finished tasks beyond Tasks:HistoryPerSession are dropped).");

    public static ProblemHttpResult AlreadyFinished() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Task already finished",
        detail: "Only a queued or running task can be cancelled.");

    public static ProblemHttpResult InvalidIdempotencyKey() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid header '{IdempotencyKey.Header}'",
        detail: $"Send one {IdempotencyKey.Header} of 1 to {IdempotencyKey.MaxLength} printable ASCII characters, for example a UUID.",
        extensions: new Dictionary<string, object?> { ["field"] = IdempotencyKey.Header });

    private static ProblemHttpResult IdempotencyKeyReused() => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency key reused",
        detail: $"This {IdempotencyKey.Header} was already used with a different task; use a new key for a new task.",
        extensions: new Dictionary<string, object?> { ["field"] = IdempotencyKey.Header });

    private static ProblemHttpResult RepeatedTaskForgotten() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Original task no longer kept",
        detail: $"This {IdempotencyKey.Header} started a task that has since left the session's history (Tasks:HistoryPerSession); nothing was started.");
}
