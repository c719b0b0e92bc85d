using Api.Sessions;
using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Api.Process;

internal static class ProcessEndpoints
{
    // One grain call waits at most this long, well inside Orleans' response timeout; the endpoint
    // keeps asking until the task finishes or its own deadline passes.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapProcessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/process", Process)
            .WithName(nameof(Process))
            .WithTags("Seed")
            .WithSummary("The seed's long-running request: waits Process:Seconds inside the session, then answers {\"status\":\"Done!\"}.");
        return app;
    }

    public static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> Process(
        HttpContext context,
        IGrainFactory grains,
        IOptions<ProcessOptions> options,
        CancellationToken cancellationToken)
    {
        var requested = context.Request.Headers[SessionHeaders.SessionId].ToString();
        SessionId sessionId;
        if (requested.Length == 0)
        {
            sessionId = SessionId.New();
            await grains.GetGrain<ISessionGrain>(sessionId.Value).Create();
        }
        else if (!SessionId.TryParse(requested, out sessionId))
        {
            return SessionProblems.MalformedId($"the {SessionHeaders.SessionId} header");
        }

        var session = grains.GetGrain<ISessionGrain>(sessionId.Value);
        var wait = TimeSpan.FromSeconds(options.Value.Seconds);
        var start = await session.StartSleepTask(wait);
        if (start is not { Outcome: TaskStartOutcome.Started, Task: { } task })
        {
            return SessionProblems.NotFound();
        }

        context.Response.Headers[SessionHeaders.SessionId] = sessionId.Value;
        var deadline = DateTimeOffset.UtcNow + wait + options.Value.Grace;
        var finished = await WaitUntilFinishedAsync(session, task.Id, deadline, cancellationToken);
        return finished switch
        {
            { Status: SessionTaskStatus.Succeeded } => TypedResults.Ok(ProcessResponse.Done),
            { IsFinished: true } => TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The task did not complete",
                detail: $"Task {task.Id} of the session ended as {finished.Status}. {finished.Error}".TrimEnd()),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status504GatewayTimeout,
                title: "The task did not finish in time",
                detail: $"Task {task.Id} of the session was still running at the deadline; it goes on in the session."),
        };
    }

    private static async Task<TaskRecord?> WaitUntilFinishedAsync(
        ISessionGrain session, string taskId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        TaskRecord? latest = null;
        for (var left = deadline - DateTimeOffset.UtcNow; left > TimeSpan.Zero; left = deadline - DateTimeOffset.UtcNow)
        {
            latest = await session.WaitForTask(taskId, left < WaitSlice ? left : WaitSlice, cancellationToken);
            if (latest is null or { IsFinished: true })
            {
                break;
            }
        }

        return latest;
    }
}
