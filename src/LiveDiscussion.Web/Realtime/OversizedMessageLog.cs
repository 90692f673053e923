namespace LiveDiscussion.Web.Realtime;

/// <summary>
/// Says, once, at Warning, when a client's message was larger than its hub accepts. SignalR closes that connection (a
/// Blazor circuit's, or a discussion hub client's) and notes why only at Debug, which production logs leave out; every
/// real page and client stays within the limits, so a message over one is a forged or broken client, and an operator
/// wants to see it.
/// </summary>
public sealed class OversizedMessageLog(IServiceProvider services) : ILoggerProvider
{
    /// <summary>Where SignalR writes why it closed a connection.</summary>
    public const string HubConnectionCategory = "Microsoft.AspNetCore.SignalR.HubConnectionHandler";

    private ILogger? warnings;

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(HubConnectionCategory, StringComparison.Ordinal) ? new Listener(this) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Report(InvalidDataException tooLarge)
    {
        warnings ??= services.GetRequiredService<ILogger<OversizedMessageLog>>();
        warnings.LogWarning("A client sent a message larger than its hub accepts, and its connection was closed: {Reason}",
            tooLarge.Message);
    }

    private sealed class Listener(OversizedMessageLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (exception is InvalidDataException tooLarge
                && tooLarge.Message.Contains("maximum message size", StringComparison.Ordinal))
            {
                log.Report(tooLarge);
            }
        }
    }

    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
        }
    }
}
