using Microsoft.Extensions.Logging;

namespace Silo;

internal static partial class SiloLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Silo ready: silo port {SiloPort}, gateway port {GatewayPort}; metrics and health at {Urls} (/metrics, /health/ready)")]
    public static partial void Ready(ILogger logger, int siloPort, int gatewayPort, string urls);
}
