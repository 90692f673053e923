using System.Diagnostics;
using LiveDiscussion.LoadTest.Measuring;

namespace LiveDiscussion.LoadTest.Scenarios;

/// <summary>
/// Fires each send at its intended time without waiting for earlier ones to finish: a slow server gets more requests in
/// flight, not fewer, exactly as it would from real users.
/// </summary>
/// <remarks>
/// <paramref name="isExcused"/> (reconnect) says when a failed send is expected — the node is being restarted — so it is
/// counted in <see cref="Excused"/> rather than as an error; such a send is not owed to anyone.
/// </remarks>
public sealed class OpenLoopSender(
    DeliveryRecorder recorder, ErrorLog errors, Func<int, CancellationToken, Task<string?>> send, Func<bool>? isExcused = null)
{
    private int _started;
    private long _excused;

    /// <summary>Sends that failed while <c>isExcused</c> said failures were expected.</summary>
    public long Excused => Interlocked.Read(ref _excused);

    /// <summary>How late each send left against its intended time: the tool's own share of the measured latency.</summary>
    public LatencyHistogram SendLag { get; } = new();

    /// <summary>Intended send time to the server's answer, for accepted measured sends.</summary>
    public LatencyHistogram PostAck { get; } = new();

    public int Started => Volatile.Read(ref _started);

    public async Task RunAsync(int count, CancellationToken ct)
    {
        var sends = new Task[count];
        for (var i = 0; i < count; i++)
        {
            await WaitUntilAsync(recorder.IntendedTimestamp(i), ct);
            sends[i] = SendOneAsync(i, ct);
        }

        await Task.WhenAll(sends);
    }

    private async Task SendOneAsync(int index, CancellationToken ct)
    {
        var intended = recorder.IntendedTimestamp(index);
        SendLag.RecordElapsed(intended, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _started);
        try
        {
            if (await send(index, ct) is { } problem)
            {
                Fail($"post #{index}: {problem}");
                return;
            }

            if (recorder.IsMeasured(index))
            {
                PostAck.RecordElapsed(intended, Stopwatch.GetTimestamp());
                recorder.MarkPosted(index);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Fail($"post #{index}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void Fail(string message)
    {
        if (isExcused?.Invoke() == true)
        {
            Interlocked.Increment(ref _excused);
        }
        else
        {
            errors.Add(message);
        }
    }

    private static async Task WaitUntilAsync(long timestamp, CancellationToken ct)
    {
        var remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            // Timer lateness is not hidden: it shows up in SendLag and in every latency measured from the intended time.
            await Task.Delay(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), ct);
        }
    }
}
