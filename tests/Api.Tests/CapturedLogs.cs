using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Api.Tests;

/// <summary>Keeps every log entry a host writes at <see cref="Minimum"/> (Warning unless set) or above, for tests that assert on the log.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public LogLevel Minimum { get; init; } = LogLevel.Warning;

    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
