using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SafetyPatrol.Silo.Tests.Infrastructure;

/// <summary>Keeps every log line the system writes (as the console would show it: message, then the exception).</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, string Text)> _lines = new();

    public IReadOnlyList<(string Category, string Text)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue((category, formatter(state, exception) + (exception is null ? "" : Environment.NewLine + exception)));
            }
        }
    }
}
