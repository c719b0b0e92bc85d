using Api.Sessions;
using Grains.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Api.WebSockets;

internal static class EchoSocketEndpoints
{
    public static IEndpointRouteBuilder MapEchoSocket(this IEndpointRouteBuilder app)
    {
        // Map, not MapGet: WebSockets over HTTP/2 arrive as CONNECT requests.
        app.Map("/ws", ConnectEcho)
            .WithName(nameof(ConnectEcho))
            .WithTags("Seed")
            .WithSummary("The seed's WebSocket echo: each text message is answered with \"Echo: <text>\" by the session.");
        return app;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ConnectEcho(
        HttpContext context,
        string? session,
        IGrainFactory grains,
        IOptions<WebSocketLimits> limits,
        IHostApplicationLifetime lifetime,
        ILogger<EchoConnection> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "WebSocket upgrade required",
                detail: "/ws speaks WebSocket: connect with a WebSocket client, e.g. ws://host/ws or ws://host/ws?session=<id>.");
        }

        SessionId sessionId;
        if (session is null)
        {
            sessionId = SessionId.New();
            await grains.GetGrain<ISessionGrain>(sessionId.Value).Create();
        }
        else if (!SessionId.TryParse(session, out sessionId))
        {
            return SessionProblems.MalformedId("the session query parameter");
        }
        else if ((await SessionAccess.AuthorizeAsync(context, sessionId, grains)).Problem is { } denied)
        {
            return denied;
        }

        var grain = grains.GetGrain<ISessionGrain>(sessionId.Value);
        var connectionId = Guid.NewGuid().ToString("N");
        if (!await grain.AttachConnection(connectionId))
        {
            return SessionProblems.Unauthorized(context);
        }

        try
        {
            context.Response.Headers[SessionHeaders.SessionId] = sessionId.Value;
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var connection = new EchoConnection(socket, grain, limits.Value, logger, context.RequestAborted);
            Log.ConnectionOpened(logger, sessionId.Value, connectionId);
            var how = await connection.RunAsync(sessionId.Value, connectionId, lifetime.ApplicationStopping);
            Log.ConnectionClosed(logger, sessionId.Value, connectionId, how, connection.Messages);
        }
        finally
        {
            await DetachAsync(grain, sessionId.Value, connectionId, logger);
        }

        return TypedResults.Empty;
    }

    private static async Task DetachAsync(ISessionGrain grain, string sessionId, string connectionId, ILogger logger)
    {
        try
        {
            await grain.DetachConnection(connectionId);
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or OperationCanceledException)
        {
            Log.DetachFailed(logger, sessionId, connectionId, exception);
        }
    }
}
