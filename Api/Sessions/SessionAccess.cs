using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Sessions;

/// <summary>Who may use a session: the bearer of its resume token.</summary>
internal static class SessionAccess
{
    /// <summary>
    /// Every endpoint of the group answers only a caller holding the token of the session named by its <c>{id}</c>:
    /// 400 for a malformed id, 401 otherwise, before the handler runs.
    /// </summary>
    public static RouteGroupBuilder RequireSessionToken(this RouteGroupBuilder group) =>
        group.AddEndpointFilter<SessionTokenFilter>();

    /// <summary>The problem to answer when the caller may not use the session, or null when it may.</summary>
    public static async Task<ProblemHttpResult?> RefusalAsync(HttpContext context, SessionId sessionId, IGrainFactory grains) =>
        await grains.GetGrain<ISessionGrain>(sessionId.Value).Authorize(BearerToken(context.Request))
            ? null
            : SessionProblems.Unauthorized(context);

    private static string? BearerToken(HttpRequest request)
    {
        const string Scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }
}
