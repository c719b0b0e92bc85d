namespace Api.Events;

internal static partial class Log
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: renewing its session lease failed; retrying")]
    public static partial void RenewalFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Connection {ConnectionId}: could not tell the session the socket closed")]
    public static partial void DisconnectFailed(ILogger logger, string connectionId, Exception exception);
}
