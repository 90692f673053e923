using System.Globalization;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// The text each load-test send carries (a reply's body, a close's reason) so a watcher can tell which scheduled send it
/// is looking at. The run tag keeps sends from an earlier or concurrent run (on a reused server) from being counted as
/// ours; the kind ("reply", "close") keeps one scenario's texts apart from another's.
/// </summary>
public sealed class ReplyMarker(string runTag, string kind = "reply")
{
    private readonly string _prefix = $"Load test {runTag} {kind} #";

    public string RunTag { get; } = runTag;

    public static ReplyMarker CreateForNewRun() => new(Guid.NewGuid().ToString("N")[..8]);

    public string Kind { get; } = kind;

    /// <summary>Every text of this marker starts so, and the index follows it.</summary>
    public string Prefix => _prefix;

    public static ReplyMarker CreateForNewRun(string kind) => new(Guid.NewGuid().ToString("N")[..8], kind);

    /// <summary>The text of send <paramref name="index"/>: a reply's body, or a close's reason.</summary>
    public string Body(int index) => _prefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The marker of the unmeasured warm-up: its texts match no index of the measured schedule.</summary>
    public ReplyMarker ForWarmUp() => new($"{RunTag}-warmup", Kind);

    /// <summary>The marker of persist's second run, under attack: its clientRequestIds are new to the server.</summary>
    public ReplyMarker ForAttackRun() => new($"{RunTag}-attacked", Kind);

    public string ClientRequestId(int index) => $"load-{RunTag}-{index.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The schedule index in <paramref name="body"/>, or -1 when the body is not one of this run's replies.</summary>
    public int IndexOf(string? body)
    {
        if (body is null || !body.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return -1;
        }

        return int.TryParse(body.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : -1;
    }
}
