using System.Diagnostics;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// P posters, each sending its next write as soon as the last one was acknowledged, for a fixed time and at most a fixed
/// count: the persist scenario's throughput load, against the server and against the raw SQLite baseline alike. Closed
/// loop on purpose: this measures how many writes are stored per second, not how long a write waits at a given rate.
/// </summary>
public sealed class ClosedLoopPosters(int posters, ErrorLog errors)
{
    private long _accepted;
    private long _attempted;

    /// <summary>From each write's start to its acknowledgement.</summary>
    public LatencyHistogram Ack { get; } = new();

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Attempted => Interlocked.Read(ref _attempted);

    /// <summary>
    /// Runs the posters; <paramref name="post"/> gets the poster's number and the write's index and returns null once the
    /// write is durable, or what went wrong. Each poster runs on a thread of its own, so a synchronous write (SQLite)
    /// blocks only its poster. Returns the time from the start until the last poster stopped.
    /// </summary>
    public async Task<TimeSpan> RunAsync(
        TimeSpan duration, int maxWrites, Func<int, int, CancellationToken, Task<string?>> post, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var next = -1;

        async Task PostLoopAsync(int poster)
        {
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= maxWrites)
                {
                    return;
                }

                Interlocked.Increment(ref _attempted);
                var began = Stopwatch.GetTimestamp();
                try
                {
                    if (await post(poster, index, ct) is { } problem)
                    {
                        errors.Add($"write #{index}: {problem}");
                        continue;
                    }

                    Ack.RecordElapsed(began, Stopwatch.GetTimestamp());
                    Interlocked.Increment(ref _accepted);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    errors.Add($"write #{index}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, posters).Select(poster => Task.Factory.StartNew(
            () => PostLoopAsync(poster), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
        return Stopwatch.GetElapsedTime(start);
    }
}
