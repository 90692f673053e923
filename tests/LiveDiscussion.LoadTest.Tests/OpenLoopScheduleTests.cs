using System.Diagnostics;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Tests;

public class OpenLoopScheduleTests
{
    [Theory]
    [InlineData(50, 5, 250)]
    [InlineData(20, 2, 40)]
    [InlineData(0.5, 10, 5)]
    [InlineData(1_000, 60, 60_000)]
    public void Count_is_rate_times_seconds(double rate, int seconds, int expected) =>
        Assert.Equal(expected, new OpenLoopSchedule(rate, seconds).Count);

    [Fact]
    public void Intended_times_are_evenly_spaced_from_the_start()
    {
        var schedule = new OpenLoopSchedule(40, 3);
        const long start = 1_000_000;
        var times = schedule.IntendedTimestamps(start);
        var interval = Stopwatch.Frequency / 40.0;

        Assert.Equal(120, times.Length);
        Assert.Equal(start, times[0]);
        for (var i = 1; i < times.Length; i++)
        {
            Assert.InRange(times[i] - times[i - 1], Math.Floor(interval) - 1, Math.Ceiling(interval) + 1);
            // No drift: each time is placed from the start, not from its neighbour.
            Assert.InRange(times[i] - start, Math.Round(i * interval) - 1, Math.Round(i * interval) + 1);
        }

        var lastOffset = (times[^1] - start) / (double)Stopwatch.Frequency;
        Assert.Equal(3 - 1 / 40.0, lastOffset, 6);
    }

    [Fact]
    public void Offsets_outside_the_schedule_are_refused()
    {
        var schedule = new OpenLoopSchedule(10, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.OffsetTicks(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.OffsetTicks(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenLoopSchedule(0, 1));
    }
}
