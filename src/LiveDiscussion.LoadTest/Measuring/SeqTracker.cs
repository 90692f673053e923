namespace LiveDiscussion.LoadTest.Measuring;

/// <summary>
/// Which seqs of one thread a watcher has seen, in constant memory while events arrive in order: everything up to
/// <c>_contiguous</c>, plus the few that arrived ahead of a gap. A bitmap per watcher would cost posts × watchers bits.
/// </summary>
public sealed class SeqTracker(long alreadySeen)
{
    private readonly HashSet<long> _ahead = [];
    private long _contiguous = alreadySeen;

    /// <summary>The highest seq up to which every seq has been seen: where a catch-up continues from.</summary>
    public long Contiguous
    {
        get
        {
            lock (_ahead)
            {
                return _contiguous;
            }
        }
    }

    /// <summary>Marks <paramref name="seq"/> seen; false when it had been seen before (a duplicate delivery).</summary>
    public bool TryAdd(long seq)
    {
        lock (_ahead)
        {
            if (seq <= _contiguous || !_ahead.Add(seq))
            {
                return false;
            }

            while (_ahead.Remove(_contiguous + 1))
            {
                _contiguous++;
            }

            return true;
        }
    }
}
