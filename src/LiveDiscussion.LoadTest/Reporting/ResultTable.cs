using System.Globalization;
using LiveDiscussion.LoadTest.Cli;

namespace LiveDiscussion.LoadTest.Reporting;

/// <summary>
/// The end-of-run table: one column for the target, one for the baseline when it ran. A row is shown when it says
/// something for this scenario (its value is null otherwise).
/// </summary>
public static class ResultTable
{
    private static readonly (string Label, Func<ScenarioResult, string?> Value)[] Rows =
    [
        ("watchers watching", r => r.Watchers == 0 || IsCircuits(r) ? null : $"{r.WatchersConnected:N0}/{r.Watchers:N0}" + (r.Threads is { } t and > 1 ? $" on {t:N0} threads" : "")),
        ("circuits up", r => IsCircuits(r) ? $"{r.WatchersConnected:N0}/{r.Watchers:N0}" : null),
        ("sends accepted", r => r.Scenario switch
        {
            ScenarioNames.Idle => null,
            ScenarioNames.Persist => $"{r.PostsAccepted:N0}/{r.Posts:N0} by {r.Posters} posters in {r.Seconds} s",
            ScenarioNames.Close => $"{r.PostsAccepted:N0}/{r.Posts:N0} closes, with reopens between, at {r.Rate:0.###}/s for {r.Seconds} s",
            _ => $"{r.PostsAccepted:N0}/{r.Posts:N0} at {r.Rate:0.###}/s for {r.Seconds} s",
        }),
        ("stored replies/s", r => r.RepliesPerSecond is { } perSecond ? $"{perSecond:N0}" : null),
        ("storage", r => r.Storage),
        ("deliveries", r => IsDelivering(r) && !IsCircuits(r) ? $"{r.Deliveries:N0}/{r.ExpectedDeliveries:N0}" : null),
        ("renders (reply first shown at a circuit)", r => IsCircuits(r) ? $"{r.Deliveries:N0}/{r.ExpectedDeliveries:N0}" : null),
        ("render batches received, all", r => r.RenderBatches is { } batches ? $"{batches:N0}" : null),
        ("deliveries/s", r => IsDelivering(r) ? $"{r.DeliveriesPerSecond:N0}" : null),
        ("per recipient p50/p90/p99/max ms", r => IsDelivering(r) ? Ms(r.P50Ms, r.P90Ms, r.P99Ms, r.MaxMs) : null),
        ("fan-out done p50/p90/p99/max ms", r => IsDelivering(r) ? Ms(r.FanoutP50Ms, r.FanoutP90Ms, r.FanoutP99Ms, r.FanoutMaxMs) : null),
        ("write acknowledged p50/p90/p99/max ms", r => r.Scenario == ScenarioNames.Persist ? Ms(r.P50Ms, r.P90Ms, r.P99Ms, r.MaxMs) : null),
        ("connect+watch p50/p90/p99/max ms", r => r.Scenario == ScenarioNames.Idle ? Ms(r.P50Ms, r.P90Ms, r.P99Ms, r.MaxMs) : null),
        ("still connected after hold", r => r.WatchersStillConnected is { } still ? $"{still:N0} after {r.HeldSeconds} s" : null),
        ("POST answered p50/p99 ms", r => IsDelivering(r) ? Ms(r.PostAckP50Ms, r.PostAckP99Ms) : null),
        ("typists / signals / TypingChanged received", r => r.Typists is { } k ? $"{k} / {r.TypingSignals:N0} / {r.TypingDeliveries:N0}" : null),
        ("without the attacker ack p50/p99 ms", r => r.WithoutAttacker is { } q ? Ms(q.PostAckP50Ms, q.PostAckP99Ms) : null),
        ("attacker sends / refused", r => r.AttackerSends is { } sends ? $"{sends:N0} / {r.AttackerRefused:N0}" : null),
        ("attacker slows posters (ack p99 ratio)", r => r.AttackerP99Ratio is null ? null : Ratio(r.AttackerP99Ratio)),
        ("without typists p50/p90/p99/max ms", r => r.WithoutTypists is { } q ? Ms(q.P50Ms, q.P90Ms, q.P99Ms, q.MaxMs) : null),
        ("typing slows replies (p50, p99 ratio)", r => r.TypingP50Ratio is null && r.TypingP99Ratio is null ? null
            : $"{Ratio(r.TypingP50Ratio)} / {Ratio(r.TypingP99Ratio)}"),
        ("restarted by", r => r.RestartedBy),
        ("watchers back and caught up", r => r.WatchersBack is { } back ? $"{back:N0}/{r.WatchersConnected:N0}" : null),
        ("all back after ms", r => r.RestartedBy is null ? null : r.ReconnectAllMs is { } all ? Ms(all) : "not all back"),
        ("each back after p50/p99 ms", r => r.ReconnectP50Ms is { } p50 ? Ms(p50, r.ReconnectP99Ms ?? 0) : null),
        ("failed / timed-out attempts", r => r.ReconnectAttemptsFailed is { } failed ? $"{failed:N0} / {r.ReconnectAttemptsTimedOut:N0}" : null),
        ("replies refused while down", r => r.PostsRefusedDuringRestart is { } refused ? $"{refused:N0}" : null),
        ("send lag p99 ms (tool)", r => IsDelivering(r) ? Ms(r.SendLagP99Ms) : null),
        ("tool CPU, % of one core", r => $"{r.ToolCpuPercentOfOneCore:0.#}"),
        ("server CPU, % of one core", r => r.ServerCpuPercent is { } cpu ? $"{cpu:0.#}" : null),
        ("server RSS before / after MB", r => r.ServerRssAfterMb is { } after ? $"{r.ServerRssBeforeMb?.ToString("0.#", CultureInfo.InvariantCulture) ?? "?"} / {after:0.#}" : null),
        ("server memory per watcher KB", r => r.ServerKbPerWatcher is { } kb ? $"{kb:0.#}" : null),
        ("server memory per circuit KB", r => r.ServerKbPerCircuit is { } kb ? $"{kb:0.#}" : null),
        ("server CPU per delivery µs", r => r.ServerCpuMicrosPerDelivery is { } us ? $"{us:0.#}" : null),
        ("hub watchers: deliveries", r => r.HubWatchers is { } hub ? $"{hub.Deliveries:N0}/{hub.ExpectedDeliveries:N0} at {hub.WatchersConnected:N0} watchers" : null),
        ("hub watchers: p50/p90/p99/max ms", r => r.HubWatchers is { } hub ? Ms(hub.P50Ms, hub.P90Ms, hub.P99Ms, hub.MaxMs) : null),
        ("hub watchers: server CPU per delivery µs", r => r.HubWatchers?.ServerCpuMicrosPerDelivery is { } us ? $"{us:0.#}" : null),
        ("hub watchers: missed / duplicates / errors", r => r.HubWatchers is { } hub ? $"{hub.Missed:N0} / {hub.Duplicates:N0} / {hub.Errors:N0}" : null),
        ("server CPU, circuit render / hub delivery", r => r.CircuitToHubCpuRatio is { } ratio ? $"{ratio:0.00}" : null),
        ("missed / duplicates / errors", r => $"{r.Missed:N0} / {r.Duplicates:N0} / {r.Errors:N0}"),
    ];

    public static void Write(TextWriter output, ScenarioResult result)
    {
        var columns = result.Baseline is { } baseline ? new[] { result, baseline } : [result];
        var headers = result.Baseline is null ? new[] { result.Url } : [result.Url, $"baseline {result.Baseline.Url}"];
        var shown = Rows.Where(row => columns.Any(c => row.Value(c) is not null)).ToArray();
        var labelWidth = shown.Max(row => row.Label.Length);
        var widths = columns.Select((c, i) => Math.Max(headers[i].Length, shown.Max(row => (row.Value(c) ?? "").Length))).ToArray();

        output.WriteLine();
        output.WriteLine(result.Scenario switch
        {
            ScenarioNames.Persist => $"{result.Scenario}: replies stored per second; latencies from each write's start to its acknowledgement",
            ScenarioNames.Idle => $"{result.Scenario}, {result.Protocol} protocol; idle watchers held, latencies to connect and watch",
            ScenarioNames.Close => $"{result.Scenario}, {result.Protocol} protocol; latencies from each close request's intended send time",
            ScenarioNames.Circuits => $"{result.Scenario}, {result.Protocol}; latencies from each reply's intended send time to the render batch showing it",
            _ => $"{result.Scenario}, {result.Protocol} protocol; latencies from each reply's intended send time",
        });
        output.WriteLine(Line("", headers, labelWidth, widths));
        foreach (var (label, value) in shown)
        {
            output.WriteLine(Line(label, columns.Select(c => value(c) ?? "-").ToArray(), labelWidth, widths));
        }

        if (result.RatioToBaseline is { } ratio)
        {
            var what = result.Scenario == ScenarioNames.Persist ? "stored replies/s" : "deliveries/s";
            output.WriteLine(Line($"{what} ratio to baseline", [ratio.ToString("0.000", CultureInfo.InvariantCulture)], labelWidth, widths));
        }

        foreach (var sample in columns.Concat(columns.Select(c => c.HubWatchers).OfType<ScenarioResult>())
                     .SelectMany(c => c.ErrorSamples.Select(s => $"{c.Url}: {s}")))
        {
            output.WriteLine($"  error: {sample}");
        }
    }

    private static bool IsCircuits(ScenarioResult r) => r.Scenario == ScenarioNames.Circuits;

    private static bool IsDelivering(ScenarioResult r) => r.Scenario is not (ScenarioNames.Persist or ScenarioNames.Idle);

    private static string Ratio(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";

    private static string Line(string label, string[] cells, int labelWidth, int[] widths) =>
        label.PadRight(labelWidth) + string.Concat(cells.Select((cell, i) => "  " + cell.PadLeft(widths[i])));

    private static string Ms(params double[] values) =>
        string.Join(" / ", values.Select(v => v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture)));
}
