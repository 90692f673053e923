using System.Globalization;
using LiveDiscussion.LoadTest.Cli;

namespace LiveDiscussion.LoadTest.Reporting;

/// <summary>The end-of-run table: one column for the target, one for the bare-hub baseline when it ran.</summary>
public static class ResultTable
{
    private static readonly (string Label, Func<ScenarioResult, string> Value)[] Rows =
    [
        ("watchers watching", r => $"{r.WatchersConnected:N0}/{r.Watchers:N0}"),
        ("sends accepted", r => r.Scenario == ScenarioNames.Close
            ? $"{r.PostsAccepted:N0}/{r.Posts:N0} closes, with reopens between, at {r.Rate:0.###}/s for {r.Seconds} s"
            : $"{r.PostsAccepted:N0}/{r.Posts:N0} at {r.Rate:0.###}/s for {r.Seconds} s"),
        ("deliveries", r => $"{r.Deliveries:N0}/{r.ExpectedDeliveries:N0}"),
        ("deliveries/s", r => $"{r.DeliveriesPerSecond:N0}"),
        ("per recipient p50/p90/p99/max ms", r => Ms(r.P50Ms, r.P90Ms, r.P99Ms, r.MaxMs)),
        ("fan-out done p50/p90/p99/max ms", r => Ms(r.FanoutP50Ms, r.FanoutP90Ms, r.FanoutP99Ms, r.FanoutMaxMs)),
        ("POST answered p50/p99 ms", r => Ms(r.PostAckP50Ms, r.PostAckP99Ms)),
        ("send lag p99 ms (tool)", r => Ms(r.SendLagP99Ms)),
        ("tool CPU, % of one core", r => $"{r.ToolCpuPercentOfOneCore:0.#}"),
        ("missed / duplicates / errors", r => $"{r.Missed:N0} / {r.Duplicates:N0} / {r.Errors:N0}"),
    ];

    public static void Write(TextWriter output, ScenarioResult result)
    {
        var columns = result.Baseline is { } baseline ? new[] { result, baseline } : [result];
        var headers = result.Baseline is null ? new[] { result.Url } : [result.Url, $"baseline {result.Baseline.Url}"];
        var labelWidth = Rows.Max(row => row.Label.Length);
        var widths = columns.Select((c, i) => Math.Max(headers[i].Length, Rows.Max(row => row.Value(c).Length))).ToArray();

        output.WriteLine();
        var sent = result.Scenario == ScenarioNames.Close ? "close request" : "reply";
        output.WriteLine($"{result.Scenario}, {result.Protocol} protocol; latencies from each {sent}'s intended send time");
        output.WriteLine(Line("", headers, labelWidth, widths));
        foreach (var (label, value) in Rows)
        {
            output.WriteLine(Line(label, columns.Select(value).ToArray(), labelWidth, widths));
        }

        if (result.RatioToBaseline is { } ratio)
        {
            output.WriteLine(Line("deliveries/s ratio to baseline", [ratio.ToString("0.000", CultureInfo.InvariantCulture)], labelWidth, widths));
        }

        foreach (var sample in columns.SelectMany(c => c.ErrorSamples.Select(s => $"{c.Url}: {s}")))
        {
            output.WriteLine($"  error: {sample}");
        }
    }

    private static string Line(string label, string[] cells, int labelWidth, int[] widths) =>
        label.PadRight(labelWidth) + string.Concat(cells.Select((cell, i) => "  " + cell.PadLeft(widths[i])));

    private static string Ms(params double[] values) =>
        string.Join(" / ", values.Select(v => v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture)));
}
