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
        sessions.MapGet("/{id}", GetSession)
            .WithName(nameof(GetSession))
            .WithSummary("Reads a session: when it was created and last active, its open connections, counts and tasks.")
            .WithProblems(StatusCodes.Status401Unauthorized);
        sessions.MapDelete("/{id}", DeleteSession)
            .WithName(nameof(DeleteSession))
            .WithSummary("Ends a session: cancels its tasks and removes its stored state.")
            .WithProblems(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<Created<CreatedSession>> CreateSession(IGrainFactory grains)
    {
        while (true)
        {
            var id = SessionId.New();
            // A collision of 128 random bits is not expected; retrying keeps the guarantee without trusting that.
            if (await grains.GetGrain<ISessionGrain>(id.Value).CreateWithResumeToken() is { } created)
            {
                return TypedResults.Created(
                    $"/sessions/{id.Value}",
                    new CreatedSession(id.Value, created.ResumeToken, created.Session.CreatedAt));
            }
        }
    }

    public static async Task<Results<Ok<SessionSnapshot>, ProblemHttpResult>> GetSession(
        string id, HttpContext context, IGrainFactory grains)
    {
        var (session, problem) = await SessionAccess.AuthorizeAsync(context, id, grains);
        if (session is null)
        {
            return problem!;
        }

        var snapshot = await session.GetSnapshot();
        return snapshot is null ? SessionProblems.Unauthorized(context) : TypedResults.Ok(snapshot);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSession(
        string id, HttpContext context, IGrainFactory grains)
    {
        var (session, problem) = await SessionAccess.AuthorizeAsync(context, id, grains);
        if (session is null)
        {
            return problem!;
        }

        return await session.Delete() ? TypedResults.NoContent() : SessionProblems.Unauthorized(context);
    }
}
