using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Tests;

public class LatencyHistogramTests
{
    // The bucket width is at most 1/128 of a value; reporting the middle halves that.
    private const double Precision = 0.01;

    [Fact]
    public void Empty_histogram_reports_zero()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.PercentileMicros(50));
        Assert.Equal(0, histogram.PercentileMicros(99));
        Assert.Equal(0, histogram.MaxMicros);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Percentiles_match_a_sorted_array_within_the_precision(int seed)
    {
        var random = new Random(seed);
        // Log-uniform from 1 µs to 60 s, the range the histogram promises to track.
        var values = Enumerable.Range(0, 20_000)
            .Select(_ => (long)Math.Exp(random.NextDouble() * Math.Log(60_000_000)))
            .ToArray();
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.RecordMicros(value);
        }

        Array.Sort(values);
        foreach (var percentile in new[] { 0.1, 1, 25, 50, 90, 99, 99.9, 100 })
        {
            var expected = values[Math.Max(0, (int)Math.Ceiling(percentile / 100 * values.Length) - 1)];
            var actual = histogram.PercentileMicros(percentile);
            Assert.True(
                Math.Abs(actual - expected) <= Math.Max(1, expected * Precision),
                $"p{percentile}: expected {expected} µs within 1 %, got {actual} µs");
        }
    }

    [Fact]
    public void Max_is_exact_even_between_bucket_edges_and_beyond_the_range()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordMicros(12_345_679);
        histogram.RecordMicros(3);
        Assert.Equal(12_345_679, histogram.MaxMicros);
        Assert.Equal(12_345_679, histogram.PercentileMicros(100));

        histogram.RecordMicros(90_000_000);
        Assert.Equal(90_000_000, histogram.MaxMicros);
        Assert.Equal(3, histogram.Count);
    }

    [Fact]
    public void Small_values_are_counted_exactly()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new long[] { 0, 1, 2, 200, 255 })
        {
            histogram.RecordMicros(value);
        }

        Assert.Equal(2, histogram.PercentileMicros(60));
        Assert.Equal(200, histogram.PercentileMicros(80));
        Assert.Equal(255, histogram.PercentileMicros(100));
    }

    [Fact]
    public void Buckets_tile_the_range_without_gaps()
    {
        for (var index = 1; index <= LatencyHistogram.IndexOf(LatencyHistogram.MaxTrackableMicros); index++)
        {
            var lowest = LatencyHistogram.LowestOf(index);
            Assert.Equal(index, LatencyHistogram.IndexOf(lowest));
            Assert.Equal(index - 1, LatencyHistogram.IndexOf(lowest - 1));
        }
    }

    [Fact]
    public void Concurrent_recording_loses_nothing()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 100_000, i => histogram.RecordMicros(i % 1_000));

        Assert.Equal(100_000, histogram.Count);
        Assert.Equal(999, histogram.MaxMicros);
    }
}
