namespace Api.WebSockets;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{Protocol} socket {ConnectionId} of session {SessionId} opened")]
    public static partial void ConnectionOpened(ILogger logger, string protocol, string sessionId, string connectionId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "{Protocol} socket {ConnectionId} of session {SessionId} closed ({How}) after {DurationSeconds:F1} s and {Messages} message(s)")]
    public static partial void ConnectionClosed(
        ILogger logger, string protocol, string sessionId, string connectionId, string how, double durationSeconds, long messages);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Session {SessionId}: connection {ConnectionId} could not reach the session")]
    public static partial void SessionCallFailed(ILogger logger, string sessionId, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "{Protocol} socket {ConnectionId} of session {SessionId} failed; closed with 1011")]
    public static partial void ConnectionFailed(ILogger logger, string protocol, string sessionId, string connectionId, Exception exception);
}
