using System.Diagnostics;

namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>
/// When each send is due, fixed before the run starts. Latency is measured from these intended times, not from when a
/// send actually left, so a stalled server cannot hide its stall by delaying the sends that would have exposed it
/// (coordinated omission).
/// </summary>
public sealed class OpenLoopSchedule
{
    private readonly double _ticksPerSend;

    public OpenLoopSchedule(double ratePerSecond, int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);

        RatePerSecond = ratePerSecond;
        Seconds = seconds;
        Count = checked((int)Math.Round(ratePerSecond * seconds));
        _ticksPerSend = Stopwatch.Frequency / ratePerSecond;
    }

    public double RatePerSecond { get; }

    public int Seconds { get; }

    public int Count { get; }

    /// <summary>Stopwatch ticks from the start of the run to send number <paramref name="index"/>.</summary>
    public long OffsetTicks(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);

        // Multiplying (not accumulating) keeps rounding error from drifting over a long run.
        return (long)Math.Round(index * _ticksPerSend);
    }

    /// <summary>The intended timestamp of every send, for a run starting at <paramref name="startTimestamp"/>.</summary>
    public long[] IntendedTimestamps(long startTimestamp)
    {
        var times = new long[Count];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = startTimestamp + OffsetTicks(i);
        }

        return times;
    }
}
