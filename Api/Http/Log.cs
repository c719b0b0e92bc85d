namespace Api.Http;

internal static partial class Log
{
    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the {Dependency} did not answer")]
    public static partial void DependencyUnavailable(ILogger logger, string method, string path, string dependency, Exception exception);
}
