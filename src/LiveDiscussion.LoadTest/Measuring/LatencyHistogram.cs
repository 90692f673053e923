using System.Diagnostics;

namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>
/// A log-linear latency histogram in microseconds, 0 µs to 60 s, in the manner of HdrHistogram: values below 256 µs
/// are counted exactly, larger ones in buckets at most 1/128 (0.8 %) of their value wide. Recording is lock-free so
/// every watcher's receive callback can share one instance; the maximum is kept exactly beside the buckets.
/// </summary>
public sealed class LatencyHistogram
{
    public const long MaxTrackableMicros = 60_000_000;

    private const int SubBucketBits = 8;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int HalfSubBucketCount = SubBucketCount / 2;

    private static readonly int BucketCount = IndexOf(MaxTrackableMicros) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private long _total;
    private long _max;

    public long Count => Volatile.Read(ref _total);

    /// <summary>The largest recorded value, exact even above the tracked range.</summary>
    public long MaxMicros => Volatile.Read(ref _max);

    public void RecordMicros(long micros)
    {
        micros = Math.Max(0, micros);
        Interlocked.Increment(ref _counts[IndexOf(Math.Min(micros, MaxTrackableMicros))]);
        Interlocked.Increment(ref _total);

        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Records the time from <paramref name="fromTimestamp"/> to <paramref name="toTimestamp"/> (Stopwatch ticks).</summary>
    public void RecordElapsed(long fromTimestamp, long toTimestamp) =>
        RecordMicros(TicksToMicros(toTimestamp - fromTimestamp));

    /// <summary>
    /// The nearest-rank percentile: the smallest recorded value with at least <paramref name="percentile"/> % of values at
    /// or below it, as the middle of its bucket (never above the exact maximum). 0 when nothing was recorded.
    /// </summary>
    public long PercentileMicros(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);

        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(MidpointOf(i), MaxMicros);
            }
        }

        // Only reachable while other threads are still recording: the total moved ahead of the buckets we summed.
        return MaxMicros;
    }

    public double PercentileMs(double percentile) => PercentileMicros(percentile) / 1000.0;

    public double MaxMs => MaxMicros / 1000.0;

    public static long TicksToMicros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    internal static int IndexOf(long micros)
    {
        if (micros < SubBucketCount)
        {
            return (int)micros;
        }

        // Keep the top SubBucketBits bits: the mantissa lands in [128, 256) and each shift step adds 128 buckets.
        var shift = (64 - long.LeadingZeroCount(micros)) - SubBucketBits;
        var mantissa = micros >> (int)shift;
        return SubBucketCount + ((int)shift - 1) * HalfSubBucketCount + (int)(mantissa - HalfSubBucketCount);
    }

    internal static long LowestOf(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = (index - SubBucketCount) / HalfSubBucketCount + 1;
        var mantissa = (index - SubBucketCount) % HalfSubBucketCount + HalfSubBucketCount;
        return (long)mantissa << shift;
    }

    private static long MidpointOf(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var lowest = LowestOf(index);
        var width = LowestOf(index + 1) - lowest;
        return lowest + width / 2;
    }
}
