using System.Globalization;
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
    public static ProblemHttpResult Refused(TaskStartRefusal refusal, HttpContext context, int maxActivePerSession)
    {
        if (TaskStartProblem.Of(refusal, maxActivePerSession, IdempotencyKey.Header) is not { } problem)
        {
            return SessionProblems.Unauthorized(context);
        }

        if (problem.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(
            statusCode: problem.Status,
            title: problem.Title,
            detail: problem.Detail,
            extensions: problem.Field is null ? null : new Dictionary<string, object?> { ["field"] = problem.Field });
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
}
