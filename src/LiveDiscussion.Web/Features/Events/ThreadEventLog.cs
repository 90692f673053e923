using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Events;

/// <summary>Appends to and reads from the per-thread event log.</summary>
public sealed class ThreadEventLog(IDbContextFactory<DiscussionDbContext> dbFactory, BodyRenderer renderer, TimeProvider clock)
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
    public async Task<ThreadCatchUp> GetAfterAsync(long threadId, long afterSeq, CancellationToken ct = default)
    {
        if (afterSeq < 0)
        {
            throw DiscussionProblem.Invalid("after", "'after' must be a seq: 0 or more.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var thread = await db.Threads.AsNoTracking().SingleOrDefaultAsync(t => t.Id == threadId, ct)
            ?? throw ThreadProblems.NotFound();
        if (thread.LatestSeq - afterSeq > Limits.CatchUpMaxEvents)
        {
            return new ThreadCatchUp(threadId, thread.LatestSeq, [], Truncated: true);
        }

        var events = await db.ThreadEvents.AsNoTracking()
            .Where(e => e.ThreadId == threadId && e.Seq > afterSeq && e.Seq <= thread.LatestSeq)
            .OrderBy(e => e.Seq)
            .ToListAsync(ct);
        var replyIds = events.Where(e => e.ReplyId is not null).Select(e => e.ReplyId!.Value).Distinct().ToList();
        var replies = await db.Replies.AsNoTracking().Where(r => replyIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);

        var dtos = events.Select(e => new ThreadEventDto(
                e.ThreadId, e.Seq, e.Type, e.At,
                e.ReplyId is { } replyId ? replies[replyId].ToDto(thread, renderer) : null,
                e.Reason, e.Actor))
            .ToList();
        return new ThreadCatchUp(threadId, thread.LatestSeq, dtos, Truncated: false);
    }
}
