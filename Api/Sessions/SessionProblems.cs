using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Sessions;

/// <summary>The RFC 9457 answers every session-scoped endpoint gives for a bad or unknown session.</summary>
internal static class SessionProblems
{
    public static ProblemHttpResult MalformedId(string where) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed session id",
        detail: $"The session id in {where} is not a session id this service issues (22 URL-safe base64 characters).");

    /// <summary>One answer for "no such session", "no token" and "wrong token", so ids cannot be probed.</summary>
    public static ProblemHttpResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Session not accessible",
            detail: "The session does not exist or the resume token (Authorization: Bearer <token>) is missing or wrong.");
    }
}
