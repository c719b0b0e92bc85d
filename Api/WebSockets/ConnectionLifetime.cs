using Api.Observability;

namespace Api.WebSockets;

/// <summary>Runs an accepted socket with what operators need around it: a log scope, the open-socket gauge, one closing line.</summary>
internal static class ConnectionLifetime
{
    public static async Task RunAsync(
        TextSocketConnection connection,
        string protocol,
        string sessionId,
        string connectionId,
        FrontEndMetrics metrics,
        TimeProvider clock,
        ILogger logger,
        CancellationToken serverStopping)
    {
        // A two-entry array rather than a dictionary: the scope lives as long as the socket, for every socket.
        using var scope = logger.BeginScope(new KeyValuePair<string, object>[] { new("SessionId", sessionId), new("ConnectionId", connectionId) });
        var opened = clock.GetTimestamp();
        metrics.SocketOpened(protocol);
        Log.ConnectionOpened(logger, protocol, sessionId, connectionId);
        string how;
        try
        {
            how = await connection.RunAsync(serverStopping);
        }
        finally
        {
            metrics.SocketClosed(protocol);
        }

        if (connection.Failure is { } failure)
        {
            Log.ConnectionFailed(logger, protocol, sessionId, connectionId, failure);
        }

        var duration = clock.GetElapsedTime(opened).TotalSeconds;
        Log.ConnectionClosed(logger, protocol, sessionId, connectionId, how, duration, connection.Messages);
    }
}
