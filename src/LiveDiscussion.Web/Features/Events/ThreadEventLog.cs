using System.Text.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Events;

/// <summary>Appends to and reads from the per-thread event log.</summary>
public sealed class ThreadEventLog(IDbContextFactory<DiscussionDbContext> dbFactory, TimeProvider clock)
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

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
            At = dto.At,
            Payload = JsonSerializer.Serialize(dto, PayloadJson),
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
        var latestSeq = await db.Threads.Where(t => t.Id == threadId).Select(t => (long?)t.LatestSeq)
            .SingleOrDefaultAsync(ct) ?? throw ThreadProblems.NotFound();
        if (latestSeq - afterSeq > Limits.CatchUpMaxEvents)
        {
            return new ThreadCatchUp(threadId, latestSeq, [], Truncated: true);
        }

        var payloads = await db.ThreadEvents.AsNoTracking()
            .Where(e => e.ThreadId == threadId && e.Seq > afterSeq && e.Seq <= latestSeq)
            .OrderBy(e => e.Seq)
            .Select(e => e.Payload)
            .ToListAsync(ct);
        var events = payloads.Select(p => JsonSerializer.Deserialize<ThreadEventDto>(p, PayloadJson)!).ToList();
        return new ThreadCatchUp(threadId, latestSeq, events, Truncated: false);
    }
}
