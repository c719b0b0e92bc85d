using Api.Hosting;
using Api.Http;
using Api.Events;
using Api.Observability;
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
            .AcceptsWebSocketsOnly("/ws", "ws://host/ws or ws://host/ws?session=<id>")
            .WithName(nameof(ConnectEcho))
            .DisableRequestTimeout()
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
        FrontEndMetrics metrics,
        [FromKeyedServices(FrontEndClock.Key)] TimeProvider clock,
        ILogger<EchoConnection> logger)
    {
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
        else if (await SessionAccess.RefusalAsync(context, sessionId, grains) is { } denied)
        {
            return denied;
        }

        var grain = grains.GetGrain<ISessionGrain>(sessionId.Value);
        var connectionId = Guid.NewGuid().ToString("N");
        context.Response.Headers[SessionHeaders.SessionId] = sessionId.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = new EchoConnection(socket, grain, sessionId.Value, connectionId, limits.Value, metrics, clock, logger, context);
        await using var subscription = await SessionSubscription.StartAsync(
            grains, grain, connectionId, wantsEvents: false, lastSeq: null, connection, clock, limits.Value.CallTimeout, logger, (_, exception) => connection.OnSessionUnavailable(exception));

        await ConnectionLifetime.RunAsync(connection, "echo", sessionId.Value, connectionId, metrics, clock, logger, lifetime.ApplicationStopping);
        return TypedResults.Empty;
    }
}
