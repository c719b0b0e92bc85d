using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Sessions;

/// <summary>Resolves the session a request names and checks the caller may use it.</summary>
internal static class SessionAccess
{
    public static async Task<(ISessionGrain? Session, ProblemHttpResult? Problem)> AuthorizeAsync(
        HttpContext context, string id, IGrainFactory grains)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return (null, SessionProblems.MalformedId("the path"));
        }

        return await AuthorizeAsync(context, sessionId, grains);
    }

    /// <summary>The same check for a session named by a header or query parameter, already parsed.</summary>
    public static async Task<(ISessionGrain? Session, ProblemHttpResult? Problem)> AuthorizeAsync(
        HttpContext context, SessionId sessionId, IGrainFactory grains)
    {
        var session = grains.GetGrain<ISessionGrain>(sessionId.Value);
        return await session.Authorize(BearerToken(context.Request))
            ? (session, null)
            : (null, SessionProblems.Unauthorized(context));
    }

    private static string? BearerToken(HttpRequest request)
    {
        const string Scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }
}
