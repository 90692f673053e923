using System.Text.Json.Serialization;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Reporting;

/// <summary>
/// What one run measured. Serialized as is for <c>--json</c>: scripts depend on the names of the tool's contract
/// (scenario, deliveriesPerSecond, p50Ms, p99Ms, maxMs, missed, duplicates, errors, baseline, ratioToBaseline), so
/// extend this record, don't rename its members. Latencies are from each send's intended time.
/// </summary>
public sealed record ScenarioResult(
    string Scenario,
    string Url,
    string Protocol,
    int Watchers,
    int WatchersConnected,
    double Rate,
    int Seconds,
    int Posts,
    int PostsAccepted,
    long Deliveries,
    long ExpectedDeliveries,
    double DeliveriesPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double FanoutP50Ms,
    double FanoutP90Ms,
    double FanoutP99Ms,
    double FanoutMaxMs,
    double SendLagP99Ms,
    double PostAckP50Ms,
    double PostAckP99Ms,
    long Missed,
    long Duplicates,
    long Errors,
    IReadOnlyList<string> ErrorSamples,
    double ToolCpuPercentOfOneCore)
{
    /// <summary>The same load against the bare hub, when <c>--baseline-url</c> was given.</summary>
    public ScenarioResult? Baseline { get; init; }

    /// <summary>Our deliveries/s over the baseline's: the share of this machine's SignalR ceiling the server reaches.</summary>
    public double? RatioToBaseline { get; init; }

    /// <summary>Where the watchers connected when not <see cref="Url"/> (<c>--watch-url</c>).</summary>
    public string? WatchUrl { get; init; }

    /// <summary>many-threads and idle: threads watched (watchers are spread over them).</summary>
    public int? Threads { get; init; }

    /// <summary>With <c>--server-pid</c>: the server's CPU over the measured part, as % of one core.</summary>
    public double? ServerCpuPercent { get; init; }

    /// <summary>With <c>--server-pid</c>: the server's VmRSS before the watchers connected and at the end.</summary>
    public double? ServerRssBeforeMb { get; init; }

    public double? ServerRssAfterMb { get; init; }

    /// <summary>With <c>--server-pid</c>: growth of the server's VmRSS per connected watcher, in kB.</summary>
    public double? ServerKbPerWatcher { get; init; }

    /// <summary>With <c>--server-pid</c>: the server's CPU time over the measured part per delivery (per render for circuits), in µs.</summary>
    public double? ServerCpuMicrosPerDelivery { get; init; }

    /// <summary>circuits: growth of the server's VmRSS from before the circuits started to when all were up, per circuit, in kB.</summary>
    public double? ServerKbPerCircuit { get; init; }

    /// <summary>circuits: render batches the circuits received in all, first renders included.</summary>
    public long? RenderBatches { get; init; }

    /// <summary>circuits: the page's JS interop calls the circuits answered, by identifier, in all.</summary>
    public IReadOnlyDictionary<string, long>? JsCallsAnswered { get; init; }

    /// <summary>circuits: the same run's hub watchers, as many, on the same thread at the same rate, after the circuits.</summary>
    public ScenarioResult? HubWatchers { get; init; }

    /// <summary>circuits: server CPU per circuit render over server CPU per hub watcher's delivery.</summary>
    public double? CircuitToHubCpuRatio { get; init; }

    /// <summary>typing: how many typists ran during the measured phase, and what they sent and caused.</summary>
    public int? Typists { get; init; }

    public long? TypingSignals { get; init; }

    /// <summary>typing: TypingChanged messages the watchers received during the phase.</summary>
    public long? TypingDeliveries { get; init; }

    /// <summary>typing: the same run's phase without typists, on the same thread and watchers.</summary>
    public ScenarioResult? WithoutTypists { get; init; }

    /// <summary>persist --attackers: the same posters' run before the attacker came (this result is the run with it).</summary>
    public ScenarioResult? WithoutAttacker { get; init; }

    /// <summary>persist --attackers: the posters' ack p99 with the attacker over their p99 without it (the issue asks ≤ 2).</summary>
    public double? AttackerP99Ratio { get; init; }

    /// <summary>persist --attackers: what the attacker sent, and how many the server turned away (429, 400).</summary>
    public long? AttackerSends { get; init; }

    public long? AttackerRefused { get; init; }

    /// <summary>typing: per-recipient latency with typists over without (p50 and p99): above 1 means typing slows replies.</summary>
    public double? TypingP50Ratio { get; init; }

    public double? TypingP99Ratio { get; init; }

    /// <summary>persist: concurrent posters, stored replies per second, and the storage settings used.</summary>
    public int? Posters { get; init; }

    public double? RepliesPerSecond { get; init; }

    public string? Storage { get; init; }

    /// <summary>reconnect: how the node was restarted ("command: ..." or "operator").</summary>
    public string? RestartedBy { get; init; }

    /// <summary>reconnect: watchers back and caught up, of those that watched before the restart.</summary>
    public int? WatchersBack { get; init; }

    /// <summary>reconnect: from the restart's start until the last watcher was back and caught up.</summary>
    public double? ReconnectAllMs { get; init; }

    /// <summary>reconnect: per watcher, from the restart's start until it was back and caught up.</summary>
    public double? ReconnectP50Ms { get; init; }

    public double? ReconnectP99Ms { get; init; }

    /// <summary>reconnect: attempts that failed, of all watchers (the node down, refusing, or too slow).</summary>
    public int? ReconnectAttemptsFailed { get; init; }

    /// <summary>reconnect: of the failed attempts, those abandoned at the tool's per-attempt bound.</summary>
    public int? ReconnectAttemptsTimedOut { get; init; }

    /// <summary>reconnect: replies refused or unanswered while the node was down (not owed, not errors).</summary>
    public long? PostsRefusedDuringRestart { get; init; }

    /// <summary>idle: how long the watchers were held, and how many were still connected at the end.</summary>
    public int? HeldSeconds { get; init; }

    public int? WatchersStillConnected { get; init; }

    [JsonIgnore]
    public bool IsClean => Missed == 0 && Duplicates == 0 && Errors == 0 && HubWatchers?.IsClean != false;

    /// <summary>
    /// A result of a scenario that sends nothing to watchers (idle, persist), with <paramref name="latency"/> as its
    /// p50/p90/p99/max and everything else zero; the scenario fills in what it measured with <c>with</c>.
    /// </summary>
    public static ScenarioResult WithoutDeliveries(
        string scenario, string url, string protocol, int seconds, LatencyHistogram latency, ErrorLog errors, double toolCpuPercentOfOneCore) =>
        new(scenario, url, protocol, Watchers: 0, WatchersConnected: 0, Rate: 0, seconds, Posts: 0, PostsAccepted: 0, Deliveries: 0,
            ExpectedDeliveries: 0, DeliveriesPerSecond: 0, latency.PercentileMs(50), latency.PercentileMs(90), latency.PercentileMs(99),
            latency.MaxMs, FanoutP50Ms: 0, FanoutP90Ms: 0, FanoutP99Ms: 0, FanoutMaxMs: 0, SendLagP99Ms: 0, PostAckP50Ms: 0,
            PostAckP99Ms: 0, Missed: 0, Duplicates: 0, errors.Count, errors.Samples, toolCpuPercentOfOneCore);

    public ScenarioResult WithBaseline(ScenarioResult baseline) => this with
    {
        Baseline = baseline,
        RatioToBaseline = baseline.DeliveriesPerSecond > 0
            ? Math.Round(DeliveriesPerSecond / baseline.DeliveriesPerSecond, 3)
            : null,
    };
}
