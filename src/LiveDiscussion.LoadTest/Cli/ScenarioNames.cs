namespace LiveDiscussion.LoadTest.Cli;

/// <summary>The scenario names of the command-line contract, and which of them this build can run.</summary>
public static class ScenarioNames
{
    public const string Fanout = "fanout";
    public const string Close = "close";
    public const string ManyThreads = "many-threads";
    public const string Typing = "typing";
    public const string Persist = "persist";
    public const string Idle = "idle";
    public const string Reconnect = "reconnect";
    public const string Circuits = "circuits";
    public const string BaselineServer = "baseline-server";

    // Named before they are built, so scripts written against the contract get "not built yet", not "unknown scenario".
    public static readonly IReadOnlyList<string> Planned = [];

    public static readonly IReadOnlyList<string> Runnable = [Fanout, Close, ManyThreads, Typing, Persist, Idle, Reconnect, Circuits];
}
