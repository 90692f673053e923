using System.Diagnostics;
using System.Globalization;

namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>One reading of a server process: resident memory and CPU time used so far, and when it was taken.</summary>
public sealed record ServerSample(long RssKb, long CpuTicks, long Timestamp);

/// <summary>
/// Reads a local server's memory and CPU from /proc (<c>--server-pid</c>): VmRSS from <c>/proc/PID/status</c>, user and
/// system time from <c>/proc/PID/stat</c>. Linux only; on any other system, or once the process is gone, it reads nothing.
/// </summary>
public sealed class ServerProbe(int pid)
{
    /// <summary>USER_HZ, the unit of /proc/PID/stat times: 100 on every Linux the tool is meant for.</summary>
    public const double ClockTicksPerSecond = 100;

    public int Pid { get; } = pid;

    public ServerSample? TrySample()
    {
        try
        {
            var rss = ParseVmRssKb(File.ReadAllText($"/proc/{Pid}/status"));
            var cpu = ParseCpuTicks(File.ReadAllText($"/proc/{Pid}/stat"));
            return rss is { } kb && cpu is { } ticks ? new ServerSample(kb, ticks, Stopwatch.GetTimestamp()) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The <c>VmRSS:</c> line of /proc/PID/status, in kB; null when absent.</summary>
    public static long? ParseVmRssKb(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var parts = line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
            }
        }

        return null;
    }

    /// <summary>
    /// utime + stime (fields 14 and 15) of /proc/PID/stat, in clock ticks. The command name (field 2) is in parentheses
    /// and may hold spaces and parentheses itself, so the fields are counted from the last ')'.
    /// </summary>
    public static long? ParseCpuTicks(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ')': field 3 (state) is [0], so field N is [N - 3].
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }

        return user + system;
    }

    /// <summary>CPU between two samples as a percentage of one core (200 = two cores busy).</summary>
    public static double CpuPercent(ServerSample from, ServerSample to)
    {
        var wall = (to.Timestamp - from.Timestamp) / (double)Stopwatch.Frequency;
        return wall <= 0 ? 0 : Math.Round(100 * (to.CpuTicks - from.CpuTicks) / ClockTicksPerSecond / wall, 1);
    }

    /// <summary>Server CPU time between two samples over <paramref name="count"/> things done, in µs each; null for none.</summary>
    public static double? CpuMicrosPer(ServerSample from, ServerSample to, long count) =>
        count > 0 ? Math.Round((to.CpuTicks - from.CpuTicks) * 1_000_000 / ClockTicksPerSecond / count, 1) : null;

    /// <summary>Server memory per watcher, in kB: the growth of VmRSS over the watchers added between the samples.</summary>
    public static double? KbPerWatcher(ServerSample before, ServerSample after, int watchers) =>
        watchers > 0 ? Math.Round((after.RssKb - before.RssKb) / (double)watchers, 1) : null;
}
