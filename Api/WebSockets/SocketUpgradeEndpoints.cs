namespace Api.WebSockets;

internal static class SocketUpgradeEndpoints
{
    /// <summary>Answers only WebSocket upgrades that the front end has room for; <paramref name="example"/> shows how to connect.</summary>
    public static RouteHandlerBuilder AcceptsWebSocketsOnly(this RouteHandlerBuilder endpoint, string path, string example) =>
        endpoint.AddEndpointFilter(new SocketUpgradeFilter(path, example));
}
