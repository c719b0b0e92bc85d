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
        using var connection = new EchoConnection(socket, grain, sessionId.Value, connectionId, limits.Value, metrics, clock, logger, context.RequestAborted);
        await using var subscription = await SubscribeAsync(grains, grain, connectionId, connection, clock, logger);

        await ConnectionLifetime.RunAsync(connection, "echo", sessionId.Value, connectionId, metrics, clock, logger, lifetime.ApplicationStopping);
        return TypedResults.Empty;
    }

    /// <summary>Registers the socket with its session; when that fails the socket is closed (1011, or 1000 if the session is gone).</summary>
    private static async Task<SessionSubscription?> SubscribeAsync(
        IGrainFactory grains, ISessionGrain grain, string connectionId, EchoConnection connection, TimeProvider clock, ILogger logger)
    {
        try
        {
            var subscription = await SessionSubscription.StartAsync(grains, grain, connectionId, wantsEvents: false, lastSeq: null, connection, clock, logger);
            if (subscription is null)
            {
                connection.OnSessionEnded("The session no longer exists.");
            }

            return subscription;
        }
        catch (Exception exception) when (DependencyOutage.Of(exception) is not null)
        {
            connection.OnSessionUnavailable(exception);
            return null;
        }
    }
}
