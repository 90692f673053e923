namespace LiveDiscussion.LoadTest.Cli;

public enum WireProtocol
{
    Json,
    MessagePack,
}

/// <summary>What one scenario run is asked to do, after parsing and bounds checks.</summary>
public sealed record LoadOptions(
    string Scenario,
    Uri Url,
    int Watchers,
    int? Threads,
    double Rate,
    int Seconds,
    WireProtocol Protocol,
    string? JsonFile,
    string? Email,
    string? Password,
    Uri? BaselineUrl,
    bool AllowRemote,
    int RampStep,
    TimeSpan DrainTimeout,
    int WarmUpSeconds)
{
    public int Posts => (int)Math.Round(Rate * Seconds);

    /// <summary>The same load aimed at the bare hub: no account, since the baseline ignores auth.</summary>
    public LoadOptions ForBaseline(Uri baselineUrl) =>
        this with { Url = baselineUrl, BaselineUrl = null, Email = null, Password = null, JsonFile = null };
}

/// <summary>A parsed command line.</summary>
public abstract record Command;

public sealed record RunScenario(LoadOptions Options) : Command;

public sealed record RunBaselineServer(string Urls) : Command;

public sealed record ShowHelp : Command;

/// <summary>A command line the tool refuses; the message says what to change.</summary>
public sealed class UsageException(string message) : Exception(message);
