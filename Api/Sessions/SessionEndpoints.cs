using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Sessions;

internal static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/sessions").WithTags("Sessions");
        sessions.MapGet("/{id}", GetSession)
            .WithName(nameof(GetSession))
            .WithSummary("Reads a session: when it was created and last active, its open connections and counts.");
        return app;
    }

    public static async Task<Results<Ok<SessionSnapshot>, ProblemHttpResult>> GetSession(string id, IGrainFactory grains)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionProblems.MalformedId("the path");
        }

        var snapshot = await grains.GetGrain<ISessionGrain>(sessionId.Value).GetSnapshot();
        return snapshot is null ? SessionProblems.NotFound() : TypedResults.Ok(snapshot);
    }
}
