using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Api.Hosting;
using Api.Http;
using Api.OpenApi;
using Api.Protocol;
using Api.Sessions;
using Grains;
using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Api.Tasks;

internal static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/sessions/{id}/tasks").WithTags("Tasks").RequireSessionToken();
        tasks.MapPost("/", StartTask)
            .Accepts<JsonElement>("application/json")
            .WithName(nameof(StartTask))
            .WithRequestTimeout(RequestTimeoutPolicies.Waiting)
            .WithSummary("Starts a sleep or cpu task; 202 at once, or 200 with the outcome if it finishes within Prefer: wait=N. "
                + "A repeated Idempotency-Key returns the original task (Idempotent-Replayed: true); the same key with another body is 422.")
            .WithProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);
        tasks.MapGet("/", ListTasks)
            .WithName(nameof(ListTasks))
            .WithSummary("The session's tasks, newest first, paged with offset and limit.")
            .WithProblems(StatusCodes.Status401Unauthorized);
        tasks.MapGet("/{taskId}", GetTask)
            .WithName(nameof(GetTask))
            .WithSummary("A task's status, progress, times and result or error.")
            .WithProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        tasks.MapDelete("/{taskId}", CancelTask)
            .WithName(nameof(CancelTask))
            .WithSummary("Cancels a queued or running task; the work stops and the cancellation is recorded.")
            .WithProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Accepted<TaskView>, Ok<TaskView>, ProblemHttpResult>> StartTask(
        string id,
        HttpContext context,
        IGrainFactory grains,
        IOptions<TaskOptions> options,
        [FromKeyedServices(FrontEndClock.Key)] TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!IsUtf8Json(context.Request))
        {
            return TaskProblems.NotJson();
        }

        if (!IdempotencyKey.TryRead(context.Request, out var idempotencyKey))
        {
            return TaskProblems.InvalidIdempotencyKey();
        }

        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException exception)
        {
            return TaskProblems.InvalidJson(exception.Message);
        }

        using (body)
        {
            if (!DecodableJson.AllStringsDecode(body.RootElement))
            {
                return TaskProblems.InvalidJson(DecodableJson.Problem);
            }

            if (!TaskRequestParser.TryParse(body.RootElement, options.Value, out var spec, out var error))
            {
                return TaskProblems.InvalidRequest(error);
            }

            var session = grains.GetGrain<ISessionGrain>(id);
            var answer = TaskStartAnswer.Of(await session.StartTask(spec, idempotencyKey));
            if (answer.Task is not { } task)
            {
                return TaskProblems.Refused(answer.Refusal, context, options.Value.MaxActivePerSession);
            }

            if (answer.Replayed)
            {
                context.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
            }

            return await AnswerStartedAsync(id, task, session, context, clock, cancellationToken);
        }
    }

    public static async Task<Results<Ok<TaskListView>, ProblemHttpResult>> ListTasks(
        string id,
        HttpContext context,
        IGrainFactory grains,
        [Description("Tasks to skip, newest first: a whole number, 0 or more (default 0).")] string? offset,
        [Description("Tasks per page: a whole number from 1 to 100 (default 20); a larger one is cut to 100.")] string? limit)
    {
        if (!TaskPage.TryRead(offset, limit, out var requested, out var error))
        {
            return TaskProblems.InvalidRequest(error);
        }

        var page = await grains.GetGrain<ISessionGrain>(id).ListTasks(requested.Offset, requested.Limit);
        return page is null
            ? SessionProblems.Unauthorized(context)
            : TypedResults.Ok(new TaskListView([.. page.Tasks.Select(TaskView.From)], page.Total, requested.Offset, requested.Limit));
    }

    public static async Task<Results<Ok<TaskView>, ProblemHttpResult>> GetTask(
        string id, string taskId, IGrainFactory grains)
    {
        return await grains.GetGrain<ISessionGrain>(id).GetTask(taskId) is { } task ? TypedResults.Ok(TaskView.From(task)) : TaskProblems.NotFound();
    }

    public static async Task<Results<Ok<TaskView>, ProblemHttpResult>> CancelTask(
        string id, string taskId, IGrainFactory grains)
    {
        var session = grains.GetGrain<ISessionGrain>(id);
        return await session.CancelTask(taskId) switch
        {
            TaskCancelOutcome.Cancelled when await session.GetTask(taskId) is { } task => TypedResults.Ok(TaskView.From(task)),
            TaskCancelOutcome.AlreadyFinished => TaskProblems.AlreadyFinished(),
            _ => TaskProblems.NotFound(),
        };
    }

    /// <summary>Routing refuses other media types with 415; a body with no Content-Type, or JSON in another charset, is refused here.</summary>
    private static bool IsUtf8Json(HttpRequest request) =>
        request.HasJsonContentType()
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && (mediaType.Charset.Length == 0 || HeaderUtilities.RemoveQuotes(mediaType.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<Results<Accepted<TaskView>, Ok<TaskView>, ProblemHttpResult>> AnswerStartedAsync(
        string id, TaskRecord task, ISessionGrain session, HttpContext context, TimeProvider clock, CancellationToken cancellationToken)
    {
        var location = $"/sessions/{id}/tasks/{task.Id}";
        if (task.IsFinished)
        {
            context.Response.Headers.Location = location;
            return TypedResults.Ok(TaskView.From(task));
        }

        if (PreferWait.Read(context.Request) is { } wait)
        {
            context.Response.Headers["Preference-Applied"] = $"wait={wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
            switch (await TaskCompletion.WaitAsync(session, task, clock.GetUtcNow() + wait, clock, cancellationToken))
            {
                case null:
                    // The session was ended while we waited: the same answer as any later call on it.
                    return SessionProblems.Unauthorized(context);
                case { IsFinished: true } finished:
                    context.Response.Headers.Location = location;
                    return TypedResults.Ok(TaskView.From(finished));
            }
        }

        return TypedResults.Accepted(location, TaskView.From(task));
    }
}
