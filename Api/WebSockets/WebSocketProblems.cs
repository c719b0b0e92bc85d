using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.WebSockets;

internal static class WebSocketProblems
{
    /// <summary>A plain HTTP request to a WebSocket path: 400 with how to connect.</summary>
    public static ProblemHttpResult UpgradeRequired(string path, string example) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "WebSocket upgrade required",
        detail: $"{path} speaks WebSocket: connect with a WebSocket client, e.g. {example}.");
}
