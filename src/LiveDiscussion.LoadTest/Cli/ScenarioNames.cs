namespace LiveDiscussion.LoadTest.Cli;

/// <summary>The scenario names of the command-line contract (issue 6), and which of them this build can run.</summary>
public static class ScenarioNames
{
    public const string Fanout = "fanout";
    public const string Close = "close";
    public const string BaselineServer = "baseline-server";

    // Named now so scripts written against the contract get "not built yet" rather than "unknown scenario".
    public static readonly IReadOnlyList<string> Planned = ["many-threads", "typing", "persist", "idle", "reconnect"];

    public static readonly IReadOnlyList<string> Runnable = [Fanout, Close];
}
