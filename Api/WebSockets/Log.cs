namespace Api.WebSockets;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Session {SessionId}: connection {ConnectionId} opened")]
    public static partial void ConnectionOpened(ILogger logger, string sessionId, string connectionId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug,
        Message = "Session {SessionId}: connection {ConnectionId} closed ({How}) after {Messages} message(s)")]
    public static partial void ConnectionClosed(ILogger logger, string sessionId, string connectionId, string how, long messages);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Session {SessionId}: connection {ConnectionId} closed because the session failed")]
    public static partial void SessionCallFailed(ILogger logger, string sessionId, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Session {SessionId}: could not tell the session that connection {ConnectionId} closed")]
    public static partial void DetachFailed(ILogger logger, string sessionId, string connectionId, Exception exception);
}
