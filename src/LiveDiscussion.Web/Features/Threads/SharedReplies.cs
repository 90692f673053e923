using System.Collections.Concurrent;
using LiveDiscussion.Contracts;

namespace LiveDiscussion.Web.Features.Threads;

/// <summary>
/// One record per reply version on the node. Every reader's circuit keeps the replies its page shows; two thousand
/// readers of one thread would otherwise each hold their own copy of the same text and HTML. A record read again is
/// swapped for the one already held when they are equal (same text, state and times), so readers share it, and what
/// is built from a record once (<see cref="Replies.ReplyMarkup"/>) is built once for all of them. The table holds its
/// records weakly: a reply no page shows any more is not kept for it.
/// </summary>
public sealed class SharedReplies
{
    private readonly ConcurrentDictionary<long, WeakReference<ReplyDto>> _byId = new();
    private int _addedSinceSweep;

    public ReplyDto Share(ReplyDto reply)
    {
        if (_byId.TryGetValue(reply.Id, out var held) && held.TryGetTarget(out var shared) && shared == reply)
        {
            return shared;
        }

        _byId[reply.Id] = new WeakReference<ReplyDto>(reply);
        if (Interlocked.Increment(ref _addedSinceSweep) >= Math.Max(1024, _byId.Count))
        {
            Sweep();
        }

        return reply;
    }

    /// <summary>How many replies the table holds an entry for, live or not yet swept.</summary>
    public int Count => _byId.Count;

    // Entries of records nobody holds any more go once the table has taken as many new ones as it holds: the sweeps
    // cost a constant share of the reads.
    private void Sweep()
    {
        Interlocked.Exchange(ref _addedSinceSweep, 0);
        foreach (var (id, held) in _byId)
        {
            if (!held.TryGetTarget(out _))
            {
                _byId.TryRemove(new KeyValuePair<long, WeakReference<ReplyDto>>(id, held));
            }
        }
    }
}
