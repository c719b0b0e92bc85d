using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.WebSockets;

internal static class WebSocketProblems
{
    private const string SupportedVersion = "13";

    /// <summary>
    /// A request to a WebSocket path that is not an upgrade we accept: a plain HTTP request gets 400 with how to
    /// connect; an upgrade in another protocol version gets RFC 6455's 426 naming the version spoken here.
    /// </summary>
    public static ProblemHttpResult UpgradeRequired(HttpContext context, string path, string example)
    {
        var request = context.Request.Headers;
        if (request.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase)
            && request.SecWebSocketVersion.ToString() is { Length: > 0 } version && version != SupportedVersion)
        {
            context.Response.Headers.SecWebSocketVersion = SupportedVersion;
            return TypedResults.Problem(
                statusCode: StatusCodes.Status426UpgradeRequired,
                title: "Unsupported WebSocket version",
                detail: $"This server speaks WebSocket version {SupportedVersion} (RFC 6455), not {version}.");
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "WebSocket upgrade required",
            detail: $"{path} speaks WebSocket: connect with a WebSocket client, e.g. {example}.");
    }
}
