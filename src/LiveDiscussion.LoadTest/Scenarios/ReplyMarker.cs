using System.Globalization;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// The text each load-test reply carries so a watcher can tell which scheduled send it is looking at. The run tag keeps
/// replies from an earlier or concurrent run (on a reused server) from being counted as ours.
/// </summary>
public sealed class ReplyMarker(string runTag)
{
    private readonly string _prefix = $"Load test {runTag} reply #";

    public string RunTag { get; } = runTag;

    public static ReplyMarker CreateForNewRun() => new(Guid.NewGuid().ToString("N")[..8]);

    public string Body(int index) => _prefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The marker of the unmeasured warm-up: its replies match no index of the measured schedule.</summary>
    public ReplyMarker ForWarmUp() => new($"{RunTag}-warmup");

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
