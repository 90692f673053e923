namespace LiveDiscussion.Web.Features.RateLimits;

/// <summary>
/// Sliding-window counters by key, in this node's memory: the times of the last permits given per key, so a refusal can
/// say exactly when the oldest one leaves the window. A key whose last permit left its window is forgotten.
/// </summary>
public sealed class SlidingWindows(TimeProvider clock)
{
    private const int SweepEvery = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Window> _windows = [];
    private int _untilSweep = SweepEvery;

    private sealed class Window(TimeSpan length)
    {
        public TimeSpan Length { get; set; } = length;
        public Queue<DateTimeOffset> Permits { get; } = new();
    }

    /// <summary>Takes a permit under <paramref name="key"/>: null when given, otherwise how long until one would be.</summary>
    public TimeSpan? TryAcquire(string key, WindowLimit limit)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (--_untilSweep <= 0)
            {
                Sweep(now);
            }

            if (!_windows.TryGetValue(key, out var window))
            {
                _windows[key] = window = new Window(limit.Window);
            }

            window.Length = limit.Window;
            while (window.Permits.TryPeek(out var oldest) && oldest <= now - limit.Window)
            {
                window.Permits.Dequeue();
            }

            if (limit.PermitLimit <= 0)
            {
                return limit.Window;
            }

            if (window.Permits.Count >= limit.PermitLimit)
            {
                // The permit whose leaving frees one for this request (the oldest, unless the limit was lowered).
                var freeing = window.Permits.ElementAt(window.Permits.Count - limit.PermitLimit);
                return freeing + limit.Window - now;
            }

            window.Permits.Enqueue(now);
            return null;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        _untilSweep = SweepEvery;
        foreach (var (key, window) in _windows)
        {
            if (!window.Permits.TryPeek(out _) || window.Permits.Last() <= now - window.Length)
            {
                _windows.Remove(key);
            }
        }
    }
}
