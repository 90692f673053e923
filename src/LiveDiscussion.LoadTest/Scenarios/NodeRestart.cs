using System.Diagnostics;
using LiveDiscussion.LoadTest.Cli;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// The reconnect scenario's restart, run beside the reply schedule: at <c>--restart-after</c> seconds it runs
/// <c>--restart-command</c> (or asks the operator to restart the node by hand), waits for the watchers to lose their
/// connections, and then for every one of them to be connected again and caught up. While that lasts, replies the node
/// refuses are expected (<see cref="IsDown"/>); every reply it accepted is still owed to every watcher.
/// </summary>
public sealed class NodeRestart(LoadOptions options, TextWriter output, IReadOnlyList<Watcher> watchers, ErrorLog errors)
{
    private volatile bool _isDown;

    /// <summary>True from the start of the restart until every watcher is back (or the wait gave up).</summary>
    public bool IsDown => _isDown;

    public string RestartedBy => options.RestartCommand is { } command ? $"command: {command}" : "operator";

    /// <summary>Per watcher: from the restart's start until it was back and caught up.</summary>
    public LatencyHistogram BackAfter { get; } = new();

    public int WatchersBack { get; private set; }

    /// <summary>From the restart's start until the last watcher was back; null when not all came back.</summary>
    public double? AllBackMs { get; private set; }

    /// <summary>Reconnect attempts of all watchers that failed (the node down, refusing, or too slow).</summary>
    public int FailedAttempts { get; private set; }

    /// <summary>Of <see cref="FailedAttempts"/>, those abandoned at the attempt bound.</summary>
    public int TimedOutAttempts { get; private set; }

    /// <summary>Seconds into the measured schedule at which the restart begins: --restart-after, or a third of the way.</summary>
    public static int RestartAfter(LoadOptions options) => options.RestartAfterSeconds ?? Math.Max(1, options.Seconds / 3);

    public async Task RunAsync(long scheduleStart, CancellationToken ct)
    {
        var due = scheduleStart + RestartAfter(options) * Stopwatch.Frequency;
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), ct);
        }

        _isDown = true;
        try
        {
            var start = Stopwatch.GetTimestamp();
            var deadline = start + (long)(options.RestartTimeout.TotalSeconds * Stopwatch.Frequency);
            if (options.RestartCommand is { } command)
            {
                output.WriteLine($"reconnect: restarting the node with: {command}");
                await RunCommandAsync(command, options.RestartTimeout, ct);
            }
            else
            {
                output.WriteLine(
                    $"reconnect: restart the node at {options.WatchTarget} now; waiting up to {options.RestartTimeout.TotalSeconds:0} s for it to go down");
            }

            if (!await WaitAsync(() => watchers.Any(w => w.LostAt != 0), deadline, ct))
            {
                errors.Add($"the node did not go down within {options.RestartTimeout.TotalSeconds:0} s: no watcher lost its connection");
                return;
            }

            // By hand the restart begins when the node goes away; a command's restart begins when the command starts.
            if (options.RestartCommand is null)
            {
                start = watchers.Where(w => w.LostAt != 0).Min(w => w.LostAt);
                deadline = start + (long)(options.RestartTimeout.TotalSeconds * Stopwatch.Frequency);
            }

            output.WriteLine("reconnect: the node went down; waiting for every watcher to be back and caught up");
            await WaitUntilAllBackAsync(deadline, ct);
            Summarize(start);
        }
        finally
        {
            _isDown = false;
        }
    }

    /// <summary>How long every watcher must stay back before the restart counts as over (not part of the figure).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>Lost its connection, was connected again since its latest loss, applied its catch-up, and is connected.</summary>
    public static bool IsBack(Watcher watcher) =>
        watcher.LastLostAt != 0 && watcher.BackAt > watcher.LastLostAt && watcher.IsConnected;

    /// <summary>
    /// Waits until every watcher is back and none has been lost again for <see cref="Settle"/>: a node that is stopping
    /// can still take a reconnecting watcher before it drops it for good, and only the last return counts.
    /// </summary>
    private async Task WaitUntilAllBackAsync(long deadline, CancellationToken ct)
    {
        while (await WaitAsync(() => watchers.All(IsBack), deadline, ct))
        {
            var lastLoss = watchers.Max(w => w.LastLostAt);
            var settled = Stopwatch.GetTimestamp() + (long)(Settle.TotalSeconds * Stopwatch.Frequency);
            if (!await WaitAsync(() => watchers.Max(w => w.LastLostAt) != lastLoss, settled, ct))
            {
                return;
            }
        }
    }

    private void Summarize(long start)
    {
        var back = watchers.Where(IsBack).ToList();
        WatchersBack = back.Count;
        FailedAttempts = watchers.Sum(w => w.FailedAttempts);
        TimedOutAttempts = watchers.Sum(w => w.TimedOutAttempts);
        foreach (var watcher in back)
        {
            BackAfter.RecordElapsed(start, watcher.BackAt);
        }

        if (back.Count == watchers.Count && back.Count > 0)
        {
            AllBackMs = LatencyHistogram.TicksToMicros(back.Max(w => w.BackAt) - start) / 1000.0;
            return;
        }

        var neverLost = watchers.Count(w => w.LostAt == 0);
        errors.Add($"{watchers.Count - back.Count} of {watchers.Count} watchers were not back and caught up within " +
            $"{options.RestartTimeout.TotalSeconds:0} s ({neverLost} never lost their connection: was it their node that restarted?)");
    }

    private async Task RunCommandAsync(string command, TimeSpan timeout, CancellationToken ct)
    {
        // The command's output goes where the tool's does; a server it starts in the background should be sent to a log
        // file by the command itself (see docs/benchmarks.md).
        var start = new ProcessStartInfo("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            errors.Add($"the restart command was still running after {timeout.TotalSeconds:0} s; left running");
            return;
        }

        if (process.ExitCode != 0)
        {
            errors.Add($"the restart command exited with {process.ExitCode}");
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, long deadline, CancellationToken ct)
    {
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        return true;
    }
}
