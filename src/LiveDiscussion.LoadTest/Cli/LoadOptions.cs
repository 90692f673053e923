namespace LiveDiscussion.LoadTest.Cli;

public enum WireProtocol
{
    Json,
    MessagePack,
}

public static class WireProtocolNames
{
    /// <summary>The protocol as --protocol names it and the results report it.</summary>
    public static string Name(this WireProtocol protocol) => protocol == WireProtocol.MessagePack ? "messagepack" : "json";
}

/// <summary>How watchers connect: the SignalR .NET client, or the tool's own lean JSON-protocol client.</summary>
public enum WatcherClient
{
    Hub,
    Raw,
}

/// <summary>How persist's posters send their replies: the JSON API's POST, or the hub's PostReply over a connection each.</summary>
public enum PostVia
{
    Api,
    Hub,
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

    /// <summary>Threads to watch: --threads, or many-threads' default of 500, or one.</summary>
    public int ThreadCount => Threads ?? (Scenario == ScenarioNames.ManyThreads ? RunLimits.DefaultManyThreads : 1);

    /// <summary>Hub clients in all: many-threads' --watchers counts per thread; everywhere else it is the total.</summary>
    public int TotalWatchers => Scenario == ScenarioNames.ManyThreads ? Watchers * ThreadCount : Watchers;

    /// <summary>Where watchers connect (<c>--watch-url</c>); replies are posted to <see cref="Url"/>. Null: the same node.</summary>
    public Uri? WatchUrl { get; init; }

    public Uri WatchTarget => WatchUrl ?? Url;

    /// <summary>typing: hub clients calling SetTyping beside the watchers.</summary>
    public int Typists { get; init; } = RunLimits.DefaultTypists;

    /// <summary>persist: concurrent posters, each posting its next reply as soon as the last is acknowledged.</summary>
    public int Posters { get; init; } = RunLimits.DefaultPosters;

    /// <summary>persist --post-via: POST /api/threads/{id}/replies (default), or the hub's PostReply.</summary>
    public PostVia PostVia { get; init; } = PostVia.Api;

    /// <summary>--client: which client the watchers use (the bare hub's run uses the same).</summary>
    public WatcherClient Client { get; init; } = WatcherClient.Hub;

    /// <summary>
    /// --http2: the watchers' WebSockets run over HTTP/2 (RFC 8441), many streams to one TCP connection, so a node can
    /// be given more watchers than a process may open sockets. The watch URL must serve HTTP/2 (cleartext: an endpoint
    /// with <c>Protocols</c> = <c>Http2</c>).
    /// </summary>
    public bool WatchOverHttp2 { get; init; }

    /// <summary>A thread to watch and post to instead of starting one (circuits' hub-watcher phase uses the circuits' thread).</summary>
    public long? ThreadId { get; init; }

    /// <summary>circuits: replies of a few sentences posted to the thread before the circuits open its page.</summary>
    public int ThreadReplies { get; init; }

    /// <summary>
    /// persist --post-as-member: the posters post as a member registered for the run (subject to the posting limits)
    /// rather than as the --email account (the admin: a moderator, exempt from them).
    /// </summary>
    public bool PostAsMember { get; init; }

    /// <summary>
    /// persist --attackers N: after the measured run, the same posters run again while another member, on N connections,
    /// floods the thread with replies of maximal nesting and plain ones; both runs' ack latencies are reported.
    /// </summary>
    public int Attackers { get; init; }

    /// <summary>persist: skip the raw SQLite insert baseline.</summary>
    public bool NoBaseline { get; init; }

    /// <summary>
    /// persist --baseline-postgres: the baseline inserts straight into this PostgreSQL database (a node on PostgreSQL is
    /// measured against the store it uses) instead of a SQLite file of the tool's own.
    /// </summary>
    public string? BaselinePostgres { get; init; }

    /// <summary>The server's process id on this machine, to read its CPU and memory from /proc; null when not given.</summary>
    public int? ServerPid { get; init; }

    /// <summary>reconnect: a shell command that restarts the node; null means the operator restarts it by hand.</summary>
    public string? RestartCommand { get; init; }

    /// <summary>reconnect: seconds into the measured schedule at which the restart begins.</summary>
    public int? RestartAfterSeconds { get; init; }

    /// <summary>reconnect: how long to wait for the node to go down, and then for every watcher to be back.</summary>
    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromSeconds(RunLimits.DefaultRestartTimeoutSeconds);

    /// <summary>The same load aimed at the bare hub: no account, since the baseline ignores auth.</summary>
    public LoadOptions ForBaseline(Uri baselineUrl) =>
        this with { Url = baselineUrl, WatchUrl = null, BaselineUrl = null, Email = null, Password = null, JsonFile = null, ServerPid = null };
}

/// <summary>A parsed command line.</summary>
public abstract record Command;

public sealed record RunScenario(LoadOptions Options) : Command;

public sealed record RunBaselineServer(string Urls) : Command;

public sealed record ShowHelp : Command;

/// <summary>A command line the tool refuses; the message says what to change.</summary>
public sealed class UsageException(string message) : Exception(message);
