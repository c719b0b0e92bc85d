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
}
