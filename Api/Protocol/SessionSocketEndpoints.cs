using System.Globalization;
using Api.Hosting;
using Api.Observability;
using Api.Sessions;
using Api.WebSockets;
using Grains;
using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Api.Protocol;

internal static class SessionSocketEndpoints
{
    public static IEndpointRouteBuilder MapSessionSocket(this IEndpointRouteBuilder app)
    {
        // Map, not MapGet: WebSockets over HTTP/2 arrive as CONNECT requests.
        app.Map("/sessions/{id}/ws", ConnectSession)
            .AcceptsWebSocketsOnly("/sessions/{id}/ws", "ws://host/sessions/<id>/ws")
            .WithName(nameof(ConnectSession))
            .DisableRequestTimeout()
            .WithTags("Sessions")
            .WithSummary("The session's JSON WebSocket: echo, task.start, task.cancel, and every task event with its sequence number. "
                + "?lastSeq=N replays the events after N. See docs/protocol.md.");
        return app;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ConnectSession(
        string id,
        string? lastSeq,
        HttpContext context,
        IGrainFactory grains,
        IOptions<WebSocketLimits> limits,
        IOptions<TaskOptions> taskOptions,
        IHostApplicationLifetime lifetime,
        FrontEndMetrics metrics,
        [FromKeyedServices(FrontEndClock.Key)] TimeProvider clock,
        ILogger<SessionProtocolConnection> logger)
    {
        if (!SessionId.TryParse(id, out var sessionId))
        {
            return SessionProblems.MalformedId("the path");
        }

        long? position = null;
        if (lastSeq is not null)
        {
            if (!long.TryParse(lastSeq, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid query parameter 'lastSeq'",
                    detail: "lastSeq is the seq of the last event the client received: a whole number from 0.",
                    extensions: new Dictionary<string, object?> { ["field"] = "lastSeq" });
            }

            position = parsed;
        }

        // A token in the upgrade's Authorization header is checked now (401 before the upgrade); browsers,
        // which cannot set headers on a WebSocket, send it as the first message instead.
        var authorized = false;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            if (await SessionAccess.RefusalAsync(context, sessionId, grains) is { } denied)
            {
                return denied;
            }

            authorized = true;
        }
        else
        {
            authorized = await grains.GetGrain<ISessionGrain>(sessionId.Value).Authorize(null);
        }

        var session = new SessionSocketContext(sessionId.Value, Guid.NewGuid().ToString("N"), position, authorized);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = new SessionProtocolConnection(
            socket, grains, session, limits.Value, taskOptions.Value, metrics, clock, logger, context);
        await connection.OpenAsync();
        await ConnectionLifetime.RunAsync(connection, "session", session.SessionId, session.ConnectionId, metrics, clock, logger, lifetime.ApplicationStopping);
        return TypedResults.Empty;
    }
}
