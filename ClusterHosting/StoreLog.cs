using Microsoft.Extensions.Logging;

namespace ClusterHosting;

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Session store full (Sessions:MaxStoredSessions = {Capacity}): dropped {Dropped} idle session(s) since the last such message, the latest inactive since {LastActiveAt}")]
    public static partial void FullDropped(ILogger logger, int capacity, long dropped, DateTimeOffset lastActiveAt);
}
