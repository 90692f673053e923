using System.Collections.Concurrent;

namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>Counts every error of a run and keeps the first few messages, enough to say what went wrong without a log flood.</summary>
public sealed class ErrorLog
{
    private const int MaxSamples = 10;

    private readonly ConcurrentQueue<string> _samples = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public IReadOnlyList<string> Samples => [.. _samples];

    public void Add(string message)
    {
        if (Interlocked.Increment(ref _count) <= MaxSamples)
        {
            _samples.Enqueue(message);
        }
    }
}
