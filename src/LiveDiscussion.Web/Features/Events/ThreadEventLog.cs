using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LiveDiscussion.Web.Features.Events;

/// <summary>Appends to and reads from the per-thread event log.</summary>
public sealed class ThreadEventLog(IDbContextFactory<DiscussionDbContext> dbFactory, BodyRenderer renderer, TimeProvider clock)
    : IDisposable
{
    /// <summary>
    /// Records a change to <paramref name="thread"/> under its next seq. Call it inside the transaction that makes the
    /// change, so the event exists exactly when the change does.
    /// </summary>
    public ThreadEventDto Append(
        DiscussionDbContext db, DiscussionThread thread, string type, ReplyDto? reply = null, string? reason = null,
        string? actor = null)
    {
        thread.LatestSeq++;
        var dto = new ThreadEventDto(thread.Id, thread.LatestSeq, type, clock.GetUtcNow(), reply, reason, actor);
        db.ThreadEvents.Add(new ThreadEvent
        {
            ThreadId = thread.Id,
            Seq = dto.Seq,
            Type = type,
            ReplyId = reply?.Id,
            Reason = reason,
            Actor = actor,
            At = dto.At,
        });
        return dto;
    }

    /// <summary>The events after <paramref name="afterSeq"/>, in order, or <c>truncated</c> when there are too many.</summary>
    /// <remarks>
    /// When a node restarts, every viewer of a thread comes back at once asking for the same events. The answer for a
    /// thread, a seq and the thread's latest seq is read and rendered once and shared for a few seconds; the latest seq
    /// is part of the key, so a viewer is never served an answer older than the log.
    /// </remarks>
    public async Task<ThreadCatchUp> GetAfterAsync(long threadId, long afterSeq, CancellationToken ct = default)
    {
        if (afterSeq < 0)
        {
            throw DiscussionProblem.Invalid("after", "'after' must be a seq: 0 or more.");
        }

        long latestSeq;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            latestSeq = await db.Threads.Where(t => t.Id == threadId).Select(t => (long?)t.LatestSeq).SingleOrDefaultAsync(ct)
                ?? throw ThreadProblems.NotFound();
        }

        if (latestSeq - afterSeq > Limits.CatchUpMaxEvents)
        {
            return new ThreadCatchUp(threadId, latestSeq, [], Truncated: true);
        }

        var key = (threadId, afterSeq, latestSeq);
        var reading = _recentCatchUps.GetOrCreate(key, entry =>
        {
            entry.Size = Math.Max(1, latestSeq - afterSeq);
            entry.AbsoluteExpirationRelativeToNow = SharedCatchUpLifetime;
            // Not the caller's token: others may be waiting for the same answer.
            return ReadAsync(threadId, afterSeq, latestSeq);
        })!;
        try
        {
            return await reading.WaitAsync(ct);
        }
        catch when (!ct.IsCancellationRequested)
        {
            _recentCatchUps.Remove(key);
            throw;
        }
    }

    private static readonly TimeSpan SharedCatchUpLifetime = TimeSpan.FromSeconds(10);

    // Counted in events, so a few thousand viewers of many threads cannot fill the memory.
    private readonly MemoryCache _recentCatchUps = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    private async Task<ThreadCatchUp> ReadAsync(long threadId, long afterSeq, long latestSeq)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var thread = await db.Threads.AsNoTracking().SingleAsync(t => t.Id == threadId);
        var events = await db.ThreadEvents.AsNoTracking()
            .Where(e => e.ThreadId == threadId && e.Seq > afterSeq && e.Seq <= latestSeq)
            .OrderBy(e => e.Seq)
            .ToListAsync();
        var replyIds = events.Where(e => e.ReplyId is not null).Select(e => e.ReplyId!.Value).Distinct().ToList();
        var replies = await db.Replies.AsNoTracking().Where(r => replyIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id);

        var dtos = events.Select(e => new ThreadEventDto(
                e.ThreadId, e.Seq, e.Type, e.At,
                e.ReplyId is { } replyId ? replies[replyId].ToDto(thread, renderer) : null,
                e.Reason, e.Actor))
            .ToList();
        return new ThreadCatchUp(threadId, latestSeq, dtos, Truncated: false);
    }

    public void Dispose() => _recentCatchUps.Dispose();
}
