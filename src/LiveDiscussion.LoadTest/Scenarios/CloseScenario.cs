using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Reporting;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// One thread, N watchers, a moderator closing and reopening it in turn at R requests/s: how fast does each close
/// reach every reader? Run by <see cref="FanoutScenario"/>'s machinery; only the closes are measured, each from its
/// intended send time to the <c>thread-closed</c> event carrying its reason.
/// </summary>
public static class CloseScenario
{
    public static Task<ScenarioResult> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct) =>
        new FanoutScenario(options, output, new FanoutScenario.Workload(
            "close",
            $"Close load test: {options.Watchers} watchers, close and reopen alternating at {options.Rate}/s for {options.Seconds} s.",
            (api, threads, marker) => new CloseSends(api, threads[0], marker))).RunAsync(ct);
}
