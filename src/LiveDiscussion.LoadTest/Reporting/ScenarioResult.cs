using System.Text.Json.Serialization;

namespace LiveDiscussion.LoadTest.Reporting;

/// <summary>
/// What one run measured. Serialized as is for <c>--json</c>: scripts depend on the names of issue 6
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

    [JsonIgnore]
    public bool IsClean => Missed == 0 && Duplicates == 0 && Errors == 0;

    public ScenarioResult WithBaseline(ScenarioResult baseline) => this with
    {
        Baseline = baseline,
        RatioToBaseline = baseline.DeliveriesPerSecond > 0
            ? Math.Round(DeliveriesPerSecond / baseline.DeliveriesPerSecond, 3)
            : null,
    };
}
