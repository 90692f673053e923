using LiveDiscussion.Contracts;
using Microsoft.Extensions.Caching.Memory;

namespace LiveDiscussion.Web.Features.Events;

/// <summary>
/// The latest events of threads that viewers recently caught up on, as rendered DTOs, kept current by every event this
/// node hears. When a node restarts, thousands of viewers come back at once, each asking for what it missed from its
/// own last seq; they are answered from here, so the thread's events are read and rendered once instead of once each.
/// </summary>
/// <remarks>
/// A thread's events are kept as one run of consecutive seqs. An event that does not follow the run (one this node
/// missed, as during a Redis outage) ends it, so nothing is ever answered across a gap. A reply's text in an event is
/// the reply as it is now (an edit, hide or delete changes the earlier events that show it), the same as a read from
/// the database gives.
/// </remarks>
public sealed class RecentThreadEvents : IDisposable
{
    public const int MaxPerThread = Limits.CatchUpMaxEvents;

    // Counted in events, so the threads kept cannot fill the memory however many there are.
    private readonly MemoryCache _runs = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    private static readonly TimeSpan KeptWhileUnused = TimeSpan.FromMinutes(2);

    private sealed class Run(List<ThreadEventDto> events, bool collecting = false)
    {
        public List<ThreadEventDto> Events { get; } = events;

        /// <summary>While the log is being read: every event heard is kept, to be joined to what the read returns.</summary>
        public bool Collecting { get; set; } = collecting;

        /// <summary>Replaced by a newer run for the same thread; changes to it no longer count.</summary>
        public bool Retired { get; set; }

        public long FirstSeq => Events[0].Seq;
        public long LastSeq => Events[^1].Seq;
    }

    /// <summary>Call before reading the thread's log for <see cref="Keep"/>, so no event heard during the read is lost.</summary>
    public void StartCollecting(long threadId)
    {
        if (!_runs.TryGetValue(threadId, out Run? run) || run is null)
        {
            Store(threadId, new Run([], collecting: true));
        }
    }

    /// <summary>The events after <paramref name="afterSeq"/> up to <paramref name="latestSeq"/>, when all are kept.</summary>
    public bool TryGet(long threadId, long afterSeq, long latestSeq, out List<ThreadEventDto> events)
    {
        events = [];
        if (afterSeq >= latestSeq)
        {
            return true;
        }

        if (!_runs.TryGetValue(threadId, out Run? run) || run is null)
        {
            return false;
        }

        lock (run)
        {
            if (run.Retired || run.Collecting || run.Events.Count == 0 || run.FirstSeq > afterSeq + 1 || run.LastSeq < latestSeq)
            {
                return false;
            }

            var start = (int)(afterSeq + 1 - run.FirstSeq);
            events = run.Events.GetRange(start, (int)(latestSeq - afterSeq));
            return true;
        }
    }

    /// <summary>Keeps <paramref name="events"/> (consecutive seqs, read from the log) for the thread, with any later ones already kept.</summary>
    public void Keep(long threadId, IReadOnlyList<ThreadEventDto> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var merged = new List<ThreadEventDto>(events);
        if (_runs.TryGetValue(threadId, out Run? kept) && kept is not null)
        {
            lock (kept)
            {
                // Events this node heard while the log was being read come after it; keep them too, up to any gap.
                foreach (var later in kept.Events.Where(e => e.Seq > merged[^1].Seq).DistinctBy(e => e.Seq).OrderBy(e => e.Seq))
                {
                    if (later.Seq != merged[^1].Seq + 1)
                    {
                        break;
                    }

                    merged.Add(later);
                }

                kept.Retired = true;
            }
        }

        ShowRepliesAsTheyAreNow(merged);
        Store(threadId, new Run(Trim(merged)));
    }

    /// <summary>Follows an event this node heard: it extends the thread's run, or ends it if it does not follow.</summary>
    public void Remember(ThreadEventDto threadEvent)
    {
        if (!_runs.TryGetValue(threadEvent.ThreadId, out Run? run) || run is null)
        {
            return;
        }

        lock (run)
        {
            if (run.Retired)
            {
                return;
            }

            if (run.Collecting)
            {
                run.Events.Add(threadEvent);
                return;
            }

            if (run.Events.Count > 0 && threadEvent.Seq <= run.LastSeq)
            {
                return;
            }

            if (run.Events.Count == 0 || threadEvent.Seq != run.LastSeq + 1)
            {
                run.Retired = true;
                _runs.Remove(threadEvent.ThreadId);
                return;
            }

            run.Events.Add(threadEvent);
            if (threadEvent.Reply is { } reply)
            {
                for (var i = 0; i < run.Events.Count - 1; i++)
                {
                    if (run.Events[i].Reply?.Id == reply.Id)
                    {
                        run.Events[i] = run.Events[i] with { Reply = reply };
                    }
                }
            }

            if (run.Events.Count > MaxPerThread)
            {
                run.Events.RemoveRange(0, run.Events.Count - MaxPerThread);
            }
        }
    }

    private void Store(long threadId, Run run) =>
        _runs.Set(threadId, run, new MemoryCacheEntryOptions { Size = MaxPerThread, SlidingExpiration = KeptWhileUnused });

    private static List<ThreadEventDto> Trim(List<ThreadEventDto> events) =>
        events.Count > MaxPerThread ? events.GetRange(events.Count - MaxPerThread, MaxPerThread) : events;

    private static void ShowRepliesAsTheyAreNow(List<ThreadEventDto> events)
    {
        var latest = new Dictionary<long, ReplyDto>();
        foreach (var threadEvent in events)
        {
            if (threadEvent.Reply is { } reply)
            {
                latest[reply.Id] = reply;
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Reply is { } reply && !ReferenceEquals(latest[reply.Id], reply))
            {
                events[i] = events[i] with { Reply = latest[reply.Id] };
            }
        }
    }

    public void Dispose() => _runs.Dispose();
}
