using System.Collections.Concurrent;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Events;

/// <summary>Appends to and reads from the per-thread event log.</summary>
public sealed class ThreadEventLog : IDisposable
{
    private readonly IDbContextFactory<DiscussionDbContext> dbFactory;
    private readonly BodyRenderer renderer;
    private readonly TimeProvider clock;

    public ThreadEventLog(
        IDbContextFactory<DiscussionDbContext> dbFactory, BodyRenderer renderer, TimeProvider clock, NodeDispatcher dispatcher)
    {
        this.dbFactory = dbFactory;
        this.renderer = renderer;
        this.clock = clock;
        // Every event this node hears, its own included, keeps the recent events current.
        dispatcher.Subscribe<ThreadEventNews>(news => _recent.Remember(news.Event));
    }

    /// <summary>
    /// Records a change to <paramref name="thread"/> under its next seq. Call it inside the transaction that makes the
    /// change, so the event exists exactly when the change does.
    /// </summary>
    public ThreadEventDto Append(
        DiscussionDbContext db, DiscussionThread thread, string type, ReplyDto? reply = null, string? reason = null,
        string? actor = null, SlowModeSetting? slowMode = null)
    {
        var (dto, row) = Next(thread, type, reply, reason, actor, slowMode);
        db.ThreadEvents.Add(row);
        return dto;
    }

    /// <summary>
    /// The thread's next event and its row, for a writer that inserts the row itself (the group commit); the thread's
    /// seq moves on, so the row must be stored in the same transaction as the thread.
    /// </summary>
    public (ThreadEventDto Dto, ThreadEvent Row) Next(
        DiscussionThread thread, string type, ReplyDto? reply = null, string? reason = null, string? actor = null,
        SlowModeSetting? slowMode = null)
    {
        thread.LatestSeq++;
        var dto = new ThreadEventDto(thread.Id, thread.LatestSeq, type, clock.GetUtcNow(), reply, reason, actor)
        {
            SlowModeSeconds = slowMode?.Seconds,
            SlowModeUntil = slowMode?.Until,
        };
        return (dto, new ThreadEvent
        {
            ThreadId = thread.Id,
            Seq = dto.Seq,
            Type = type,
            ReplyId = reply?.Id,
            Reason = reason,
            Actor = actor,
            At = dto.At,
            SlowModeSeconds = slowMode?.Seconds,
            SlowModeUntil = slowMode?.Until,
        });
    }

    /// <summary>The events after <paramref name="afterSeq"/>, in order, or <c>truncated</c> when there are too many.</summary>
    /// <remarks>
    /// When a node restarts, every viewer of a thread comes back at once, each asking from its own last seq. The first
    /// to miss reads the thread's recent events once (the others wait for it), and every answer after that comes from
    /// <see cref="RecentThreadEvents"/>, which this node keeps current with every event it hears.
    /// </remarks>
    public async Task<ThreadCatchUp> GetAfterAsync(long threadId, long afterSeq, CancellationToken ct = default)
    {
        if (afterSeq < 0)
        {
            throw DiscussionProblem.Invalid("after", "'after' must be a seq: 0 or more.");
        }

        var latestSeq = await LatestSeqAsync(threadId).WaitAsync(ct) ?? throw ThreadProblems.NotFound();

        if (latestSeq - afterSeq > Limits.CatchUpMaxEvents)
        {
            return new ThreadCatchUp(threadId, latestSeq, [], Truncated: true);
        }

        if (_recent.TryGet(threadId, afterSeq, latestSeq, out var kept))
        {
            return new ThreadCatchUp(threadId, latestSeq, kept, Truncated: false);
        }

        var reading = _reads.GetOrAdd(threadId, _ => new SemaphoreSlim(1, 1));
        await reading.WaitAsync(ct);
        try
        {
            if (_recent.TryGet(threadId, afterSeq, latestSeq, out kept))
            {
                return new ThreadCatchUp(threadId, latestSeq, kept, Truncated: false);
            }

            _recent.StartCollecting(threadId);
            var recent = await ReadAsync(threadId, Math.Max(0, latestSeq - RecentThreadEvents.MaxPerThread), latestSeq, ct);
            _recent.Keep(threadId, recent.Events);
            return recent with { Events = recent.Events.Where(e => e.Seq > afterSeq).ToList() };
        }
        finally
        {
            reading.Release();
        }
    }

    /// <summary>
    /// The thread's latest seq, read by a query that starts after this call: callers that arrive together share one
    /// read, but nobody is answered by a read that began before they asked, so an event committed before a viewer
    /// joined its group is always in that viewer's catch-up.
    /// </summary>
    private Task<long?> LatestSeqAsync(long threadId)
    {
        // The read must know itself before anyone can see it: another caller may start it the moment it is shared, and
        // a read that cannot take itself out again would answer every later caller with its old seq.
        Lazy<Task<long?>>? proposed = null;
        proposed = new Lazy<Task<long?>>(() => ReadLatestSeqAsync(threadId, proposed!));
        return _nextLatestSeqReads.GetOrAdd(threadId, proposed).Value;
    }

    private async Task<long?> ReadLatestSeqAsync(long threadId, Lazy<Task<long?>> self)
    {
        // Everyone who asks before this yield returns shares the read; anyone after starts the next one.
        await Task.Yield();
        _nextLatestSeqReads.TryRemove(new KeyValuePair<long, Lazy<Task<long?>>>(threadId, self));
        await using var db = await dbFactory.CreateDbContextAsync();
        return await LatestSeqOf(db, threadId);
    }

    private readonly ConcurrentDictionary<long, Lazy<Task<long?>>> _nextLatestSeqReads = new();

    private static readonly Func<DiscussionDbContext, long, Task<long?>> LatestSeqOf = CompiledPerModel.Query(
        (DiscussionDbContext db, long threadId) => db.Threads.Where(t => t.Id == threadId).Select(t => (long?)t.LatestSeq).SingleOrDefault());

    private readonly RecentThreadEvents _recent = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _reads = new();

    private async Task<ThreadCatchUp> ReadAsync(long threadId, long afterSeq, long latestSeq, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var thread = await db.Threads.AsNoTracking().SingleAsync(t => t.Id == threadId, ct);
        var events = await db.ThreadEvents.AsNoTracking()
            .Where(e => e.ThreadId == threadId && e.Seq > afterSeq && e.Seq <= latestSeq)
            .OrderBy(e => e.Seq)
            .ToListAsync(ct);
        var replyIds = events.Where(e => e.ReplyId is not null).Select(e => e.ReplyId!.Value).Distinct().ToList();
        var replies = await db.Replies.AsNoTracking().Where(r => replyIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);

        var dtos = events.Select(e => new ThreadEventDto(
                e.ThreadId, e.Seq, e.Type, e.At,
                e.ReplyId is { } replyId ? replies[replyId].ToDto(thread, renderer) : null,
                e.Reason, e.Actor)
            {
                SlowModeSeconds = e.SlowModeSeconds,
                SlowModeUntil = e.SlowModeUntil,
            })
            .ToList();
        return new ThreadCatchUp(threadId, latestSeq, dtos, Truncated: false);
    }

    public void Dispose() => _recent.Dispose();
}

/// <summary>What a <c>thread-slow-mode</c> event records: the seconds between two replies (0: off) and the end.</summary>
public readonly record struct SlowModeSetting(int Seconds, DateTimeOffset? Until);
