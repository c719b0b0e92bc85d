using Api.Hosting;
using Api.Http;
using Api.OpenApi;
using Api.Sessions;
using Api.Tasks;
using Grains;
using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Api.Process;

internal static class ProcessEndpoints
{
    public static IEndpointRouteBuilder MapProcessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/process", Process)
            .WithName(nameof(Process))
            .WithRequestTimeout(RequestTimeoutPolicies.Waiting)
            .WithTags("Seed")
            .WithSummary("The seed's long-running request, an alias of a sleep task of Process:Seconds with Prefer: wait; answers {\"status\":\"Done!\"}.")
            .WithProblems(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Results<Ok<ProcessResponse>, ProblemHttpResult>> Process(
        HttpContext context,
        IGrainFactory grains,
        IOptions<ProcessOptions> options,
        IOptions<TaskOptions> taskOptions,
        [FromKeyedServices(FrontEndClock.Key)] TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // A header sent empty is a malformed id, not a request for a new session.
        var header = context.Request.Headers[SessionHeaders.SessionId];
        var requested = header.ToString();
        var anonymous = header.Count == 0;
        SessionId sessionId;
        if (anonymous)
        {
            sessionId = SessionId.New();
        }
        else if (!SessionId.TryParse(requested, out sessionId))
        {
            return SessionProblems.MalformedId($"the {SessionHeaders.SessionId} header");
        }
        else if (await SessionAccess.RefusalAsync(context, sessionId, grains) is { } denied)
        {
            return denied;
        }

        var session = grains.GetGrain<ISessionGrain>(sessionId.Value);
        var wait = TimeSpan.FromSeconds(options.Value.Seconds);
        var deadline = clock.GetUtcNow() + wait + options.Value.Grace;

        // One grain call creates the session (when anonymous), starts the sleep and waits for it.
        var start = TaskStartAnswer.Of(
            await session.RunTask(TaskSpec.Sleep(wait), createSession: anonymous, TaskCompletion.Slice(wait + options.Value.Grace), cancellationToken));
        if (start.Task is not { } task)
        {
            return TaskProblems.Refused(start.Refusal, context, taskOptions.Value.MaxActivePerSession);
        }

        context.Response.Headers[SessionHeaders.SessionId] = sessionId.Value;
        var finished = await TaskCompletion.WaitAsync(session, task, deadline, clock, cancellationToken);
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
}
