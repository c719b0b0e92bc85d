using Api.OpenApi;
using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Sessions;

internal static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/sessions").WithTags("Sessions");
        sessions.MapPost("/", CreateSession)
            .WithName(nameof(CreateSession))
            .WithSummary("Creates a session and returns its resume token, once.")
            .WithProblems();

        var session = sessions.MapGroup("/{id}").RequireSessionToken();
        session.MapGet("", GetSession)
            .WithName(nameof(GetSession))
            .WithSummary("Reads a session: when it was created and last active, its open connections, counts and tasks.")
            .WithProblems(StatusCodes.Status401Unauthorized);
        session.MapDelete("", DeleteSession)
            .WithName(nameof(DeleteSession))
            .WithSummary("Ends a session: cancels its tasks and removes its stored state.")
            .WithProblems(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Created<NewSessionView>> CreateSession(IGrainFactory grains)
    {
        while (true)
        {
            var id = SessionId.New();
            // A collision of 128 random bits is not expected; retrying keeps the guarantee without trusting that.
            if (await grains.GetGrain<ISessionGrain>(id.Value).CreateWithResumeToken() is { } created)
            {
                return TypedResults.Created(
                    $"/sessions/{id.Value}",
                    new NewSessionView(id.Value, created.ResumeToken, created.Session.CreatedAt));
            }
        }
    }

    public static async Task<Results<Ok<SessionSnapshot>, ProblemHttpResult>> GetSession(
        string id, HttpContext context, IGrainFactory grains)
    {
        var snapshot = await grains.GetGrain<ISessionGrain>(id).GetSnapshot();
        return snapshot is null ? SessionProblems.Unauthorized(context) : TypedResults.Ok(snapshot);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(
        string id, HttpContext context, IGrainFactory grains)
    {
        return await grains.GetGrain<ISessionGrain>(id).Delete() ? TypedResults.NoContent() : SessionProblems.Unauthorized(context);
    }
}
