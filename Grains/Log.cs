using Microsoft.Extensions.Logging;

namespace Grains;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Session {SessionId}: writing its state failed; it will be retried")]
    public static partial void StateWriteFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Session {SessionId}: task {TaskId} failed")]
    public static partial void TaskFailed(ILogger logger, string sessionId, string taskId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Session {SessionId}: resumed {Count} unfinished task(s) after activation")]
    public static partial void TasksResumed(ILogger logger, string sessionId, int count);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Session {SessionId}: {Count} socket(s) expired, their front end stopped renewing them")]
    public static partial void ConnectionsExpired(ILogger logger, string sessionId, int count);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Session {SessionId}: expired, inactive since {LastActiveAt}")]
    public static partial void SessionExpired(ILogger logger, string sessionId, DateTimeOffset lastActiveAt);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Session {SessionId}: updating reminder {Reminder} failed")]
    public static partial void ReminderUpdateFailed(ILogger logger, string sessionId, string reminder, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning,
        Message = "Session {SessionId}: its state changed in storage under another activation ({Reason}); this activation leaves and the next one reads the stored state")]
    public static partial void StateConflict(ILogger logger, string sessionId, string reason);
}
