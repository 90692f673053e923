using System.Linq.Expressions;
using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.RateLimits;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Threads;

public sealed class ThreadService(
    IDbContextFactory<DiscussionDbContext> dbFactory,
    BodyRenderer renderer,
    ModeratedWrite write,
    SharedReplies sharedReplies,
    PostingLimits limits,
    TimeProvider clock)
{
    /// <summary>
    /// Threads, pinned first, then newest activity first: <paramref name="limit"/> of them (50 by default, at most 200)
    /// after the cursor <paramref name="before"/>, a <see cref="ThreadListCursor"/> the previous page gave.
    /// </summary>
    public async Task<ThreadSummaries> ListAsync(int? limit = null, string? before = null, CancellationToken ct = default)
    {
        var take = limit ?? Limits.ThreadListPageDefault;
        if (take is < 1 or > Limits.ThreadListPageMax)
        {
            throw DiscussionProblem.Invalid("limit", $"limit must be between 1 and {Limits.ThreadListPageMax}.");
        }

        ThreadListCursor? after = before is null ? null : ThreadListCursor.Parse(before);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var threads = db.Threads.AsQueryable();
        if (after is { } cursor)
        {
            threads = threads.Where(t => (cursor.IsPinned && !t.IsPinned)
                || (t.IsPinned == cursor.IsPinned && (t.LastActivityAt < cursor.LastActivityAt
                    || (t.LastActivityAt == cursor.LastActivityAt && t.Id < cursor.Id))));
        }

        var page = await AsSummaries(threads
                .OrderByDescending(t => t.IsPinned).ThenByDescending(t => t.LastActivityAt).ThenByDescending(t => t.Id))
            .Take(take + 1)
            .ToListAsync(ct);
        var hasMore = page.Count > take;
        page = page[..Math.Min(take, page.Count)];
        return new ThreadSummaries(page, hasMore ? ThreadListCursor.After(page[^1]) : null);
    }

    /// <summary>Threads as the list shows them.</summary>
    public static IQueryable<ThreadSummaryDto> AsSummaries(IQueryable<DiscussionThread> threads) =>
        threads.AsNoTracking().Select(SummaryOf);

    // Before SummaryAsync: static fields are set in the order they are written.
    private static readonly Expression<Func<DiscussionThread, ThreadSummaryDto>> SummaryOf = t => new ThreadSummaryDto(
        t.Id, t.Title, t.Slug, new AuthorDto(t.AuthorName, t.AuthorId), t.CreatedAt, t.LastActivityAt,
        t.Replies.Count(r => r.State == ReplyState.Visible), t.State, t.IsPinned)
    {
        Labels = t.Labels.OrderBy(l => l.Kind).ThenBy(l => l.Id).Select(l => new LabelDto(l.Name, l.Kind)).ToList(),
    };

    /// <summary>One thread as the list shows it, or null; compiled once, because every posted reply asks for it.</summary>
    public static readonly Func<DiscussionDbContext, long, Task<ThreadSummaryDto?>> SummaryAsync =
        CompiledPerModel.Query((DiscussionDbContext db, long threadId) =>
            db.Threads.AsNoTracking().Where(t => t.Id == threadId).Select(SummaryOf).SingleOrDefault());

    /// <summary>
    /// The thread as <paramref name="user"/> sees it, with its first 500 replies in tree order: held replies only for
    /// their authors and moderators.
    /// </summary>
    public Task<ThreadDetailDto> GetAsync(long id, ClaimsPrincipal? user = null, CancellationToken ct = default) =>
        GetAsync(id, user, Limits.RepliesPageMax, ct);

    /// <summary>The thread with its first <paramref name="replyLimit"/> replies in tree order; null: all of them.</summary>
    public async Task<ThreadDetailDto> GetAsync(long id, ClaimsPrincipal? user, int? replyLimit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = user is null ? null : await Actor.FindAsync(db, user, ct);
        var thread = await ReadThreadAsync(db, id, ct);
        return ToDetail(thread, await ReadRepliesAsync(db, thread, viewer, after: null, replyLimit, ct));
    }

    /// <summary>
    /// The replies that follow <paramref name="after"/> (from the start when null) in tree order, as
    /// <paramref name="user"/> sees them: <paramref name="limit"/> of them, 500 by default and at most.
    /// </summary>
    public async Task<RepliesPageDto> GetRepliesAsync(
        long id, long? after, int? limit, ClaimsPrincipal? user = null, CancellationToken ct = default)
    {
        var take = limit ?? Limits.RepliesPageMax;
        if (take is < 1 or > Limits.RepliesPageMax)
        {
            throw DiscussionProblem.Invalid("limit", $"limit must be between 1 and {Limits.RepliesPageMax}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = user is null ? null : await Actor.FindAsync(db, user, ct);
        var thread = await db.Threads.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw ThreadProblems.NotFound();
        var window = await ReadRepliesAsync(db, thread, viewer, after, take, ct);
        return new RepliesPageDto(id, window.Replies, window.HasMore, window.HasMore ? window.Replies[^1].Id : null);
    }

    /// <summary>
    /// The thread with one reply in context: up to <paramref name="ancestors"/> of the replies it answers, then the
    /// reply and its answers in tree order, <paramref name="limit"/> replies in all at most. The first reply of
    /// <see cref="ThreadDetailDto.Replies"/> is where the view starts.
    /// </summary>
    public async Task<ThreadDetailDto> GetAroundAsync(
        long id, long replyId, int ancestors, int limit, ClaimsPrincipal? user = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = user is null ? null : await Actor.FindAsync(db, user, ct);
        var thread = await ReadThreadAsync(db, id, ct);
        var tree = await ReadTreeAsync(db, thread, viewer, ct);
        var byId = tree.Ordered.ToDictionary(r => r.Id);
        if (!byId.TryGetValue(replyId, out var focus))
        {
            throw ThreadProblems.ReplyNotFound();
        }

        var context = new List<long>();
        for (var parent = focus.ParentReplyId; parent is { } parentId && byId.TryGetValue(parentId, out var above)
             && context.Count < ancestors; parent = above.ParentReplyId)
        {
            context.Insert(0, parentId);
        }

        var start = tree.Ordered.IndexOf(focus);
        var subtree = tree.Ordered.Skip(start).TakeWhile((r, index) => index == 0 || IsUnder(r, replyId, byId))
            .Take(Math.Max(1, limit - context.Count)).Select(r => r.Id);
        var ids = context.Concat(subtree).ToList();
        var hasMore = start + ids.Count - context.Count < tree.Ordered.Count
            && IsUnder(tree.Ordered[start + ids.Count - context.Count], replyId, byId);
        return ToDetail(thread, new RepliesWindow(await ReadBodiesAsync(db, thread, viewer, ids, ct), hasMore, tree.VisibleCount)) with
        {
            // The rest of the linked reply's answers continue its own page; the thread's other replies are not here.
            HasMoreReplies = hasMore,
            NextRepliesAfter = null,
        };
    }

    /// <summary>The newest reply of the thread that <paramref name="user"/> may see, if any.</summary>
    public async Task<long?> NewestReplyIdAsync(long id, ClaimsPrincipal? user = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = user is null ? null : await Actor.FindAsync(db, user, ct);
        var moderator = viewer?.IsModerator == true;
        var viewerId = viewer?.UserId;
        return await db.Replies.AsNoTracking()
            .Where(r => r.ThreadId == id && (r.State == ReplyState.Visible || r.State == ReplyState.Hidden
                || r.State == ReplyState.Deleted || moderator || (viewerId != null && r.AuthorId == viewerId)))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => (long?)r.Id)
            .FirstOrDefaultAsync(ct);
    }

    private static bool IsUnder(ReplySkeleton reply, long ancestorId, Dictionary<long, ReplySkeleton> byId)
    {
        for (var parent = reply.ParentReplyId; parent is { } parentId; parent = byId.GetValueOrDefault(parentId)?.ParentReplyId)
        {
            if (parentId == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record RepliesWindow(List<ReplyDto> Replies, bool HasMore, int VisibleCount);

    /// <summary>
    /// A reply's place and visibility. Tree order needs every reply's place, so the whole tree is read, but only as
    /// these; bodies are read for the stretch asked for alone.
    /// </summary>
    private sealed record ReplySkeleton(long Id, long? ParentReplyId, DateTimeOffset CreatedAt, ReplyState State, string? AuthorId);

    private async Task<RepliesWindow> ReadRepliesAsync(
        DiscussionDbContext db, DiscussionThread thread, Actor? viewer, long? after, int? limit, CancellationToken ct)
    {
        var (ordered, visibleCount) = await ReadTreeAsync(db, thread, viewer, ct);
        var start = 0;
        if (after is { } afterId)
        {
            start = ordered.FindIndex(r => r.Id == afterId) + 1;
            if (start == 0)
            {
                throw DiscussionProblem.Invalid("after",
                    "after must be the id of a reply in this thread, as the previous page's nextAfter gave it.");
            }
        }

        var count = Math.Min(limit ?? int.MaxValue, ordered.Count - start);
        var ids = ordered.GetRange(start, count).Select(r => r.Id).ToList();
        return new RepliesWindow(await ReadBodiesAsync(db, thread, viewer, ids, ct), start + count < ordered.Count, visibleCount);
    }

    /// <summary>The thread's own row, with its labels and linked-from entries.</summary>
    private static async Task<DiscussionThread> ReadThreadAsync(DiscussionDbContext db, long id, CancellationToken ct) =>
        await db.Threads.AsNoTracking()
            .Include(t => t.Labels).Include(t => t.Links)
            .AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == id, ct)
        ?? throw ThreadProblems.NotFound();

    /// <summary>Every reply's place in the tree as <paramref name="viewer"/> sees it, in tree order.</summary>
    private static async Task<(List<ReplySkeleton> Ordered, int VisibleCount)> ReadTreeAsync(
        DiscussionDbContext db, DiscussionThread thread, Actor? viewer, CancellationToken ct)
    {
        var skeleton = await db.Replies.AsNoTracking().Where(r => r.ThreadId == thread.Id)
            .Select(r => new ReplySkeleton(r.Id, r.ParentReplyId, r.CreatedAt, r.State, r.AuthorId))
            .ToListAsync(ct);
        var seen = skeleton
            .Where(r => !ReplyMapping.IsUnpublished(r.State) || ReplyMapping.CanSeeUnpublished(r.AuthorId, viewer))
            .ToList();
        return (ReplyMapping.InTreeOrder(seen, r => new ReplyNode(r.Id, r.ParentReplyId, r.CreatedAt)),
            seen.Count(r => r.State == ReplyState.Visible));
    }

    private async Task<List<ReplyDto>> ReadBodiesAsync(
        DiscussionDbContext db, DiscussionThread thread, Actor? viewer, List<long> ids, CancellationToken ct)
    {
        var rows = await db.Replies.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        return ids.Select(replyId => sharedReplies.Share(rows[replyId].ToDto(thread, renderer, viewer))).ToList();
    }

    public async Task<ThreadDetailDto> StartAsync(ClaimsPrincipal user, CreateThreadRequest request, CancellationToken ct = default)
    {
        var title = TextRules.Require(request.Title, "title", "Title", Limits.TitleMaxLength);
        var body = TextRules.Require(request.Body, "body", "The post", Limits.ThreadBodyMaxLength);
        if (Actor.SignedInUserId(user) is { } userId)
        {
            await limits.CheckThreadAsync(userId, ct);
        }

        // Rendered before the write lock, and refused before anything is stored when it cannot be.
        var html = renderer.ToHtmlOrRefuse(body, BodyFormat.Markdown, "body");
        var thread = await write.RunAsync(WriteCheck.SignedIn(user, "Sign in to start a thread."), change =>
        {
            var now = clock.GetUtcNow();
            var started = new DiscussionThread
            {
                Title = title,
                Slug = Slug.From(title),
                Body = body,
                BodyFormat = BodyFormat.Markdown,
                AuthorId = change.Actor.UserId,
                AuthorName = change.Actor.DisplayName,
                CreatedAt = now,
                LastActivityAt = now,
                State = ThreadState.Open,
                BodyHtml = html,
                BodyHtmlRules = BodyRenderer.RulesVersion,
            };
            change.Db.Threads.Add(started);
            change.ListChanged(started);
            return Task.FromResult(started);
        }, ct);
        return ToDetail(thread, new RepliesWindow([], HasMore: false, VisibleCount: 0));
    }

    public Task CloseAsync(ClaimsPrincipal user, long id, string? reason, CancellationToken ct = default)
    {
        var trimmedReason = TextRules.Optional(reason, "reason", "A reason", Limits.ReasonMaxLength);
        return ChangeStateAsync(user, id, ThreadState.Closed, trimmedReason, ct);
    }

    public Task ReopenAsync(ClaimsPrincipal user, long id, CancellationToken ct = default) =>
        ChangeStateAsync(user, id, ThreadState.Open, reason: null, ct);

    private Task ChangeStateAsync(ClaimsPrincipal user, long id, ThreadState state, string? reason, CancellationToken ct)
    {
        var closing = state == ThreadState.Closed;
        return write.RunAsync(WriteCheck.Moderator(user, closing ? "close threads" : "reopen threads"), async change =>
        {
            // Locked: a reply batch on any node either committed before (its replies come before the close) or waits.
            var thread = await change.LockThreadAsync(id, ct) ?? throw ThreadProblems.NotFound();
            if (thread.State == state)
            {
                throw DiscussionProblem.Conflict(closing ? "This thread is already closed." : "This thread is already open.");
            }

            thread.State = state;
            thread.CloseReason = reason;
            var changed = change.Append(thread, closing ? ThreadEventTypes.ThreadClosed : ThreadEventTypes.ThreadReopened,
                reason: reason, actor: change.Actor.DisplayName);
            change.Audit(closing ? AuditActions.CloseThread : AuditActions.ReopenThread, changed.At, threadId: thread.Id,
                reason: reason);
            change.ModerationQueueChanged();
        }, ct);
    }

    /// <summary>
    /// Slow mode: at most one reply per person every <paramref name="seconds"/> (0 turns it off), by itself ending after
    /// <paramref name="forMinutes"/> when given. Every open composer hears it at once (<c>thread-slow-mode</c>).
    /// </summary>
    public Task SetSlowModeAsync(ClaimsPrincipal user, long id, int seconds, int? forMinutes, CancellationToken ct = default)
    {
        if (seconds is < 0 or > Limits.SlowModeMaxSeconds)
        {
            throw DiscussionProblem.Invalid("seconds", $"seconds must be between 0 (off) and {Limits.SlowModeMaxSeconds:N0}.");
        }

        if (forMinutes is < 1 or > Limits.SlowModeMaxMinutes)
        {
            throw DiscussionProblem.Invalid("forMinutes", $"forMinutes must be between 1 and {Limits.SlowModeMaxMinutes:N0}, or left out.");
        }

        return write.RunAsync(WriteCheck.Moderator(user, "set slow mode"), async change =>
        {
            var thread = await change.LockThreadAsync(id, ct) ?? throw ThreadProblems.NotFound();
            thread.SlowModeSeconds = seconds;
            thread.SlowModeUntil = seconds > 0 && forMinutes is { } minutes ? clock.GetUtcNow().AddMinutes(minutes) : null;
            var setting = new SlowModeSetting(thread.SlowModeSeconds, thread.SlowModeUntil);
            var changed = change.Append(thread, ThreadEventTypes.ThreadSlowMode, actor: change.Actor.DisplayName, slowMode: setting);
            change.Audit(AuditActions.SetSlowMode, changed.At, threadId: thread.Id, reason: SlowMode.Describe(setting));
        }, ct);
    }

    private ThreadDetailDto ToDetail(DiscussionThread thread, RepliesWindow replies) =>
        new(thread.Id, thread.Title, thread.Slug, new AuthorDto(thread.AuthorName, thread.AuthorId), thread.Body,
            renderer.HtmlOf(thread), thread.CreatedAt, thread.LastActivityAt, thread.State,
            thread.CloseReason, thread.IsPinned, thread.LatestSeq, replies.VisibleCount, replies.Replies)
        {
            Labels = thread.Labels.OrderBy(l => l.Kind).ThenBy(l => l.Id).Select(l => new LabelDto(l.Name, l.Kind)).ToList(),
            LinkedFrom = thread.Links.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
                .Select(l => new LinkedFromDto(l.Id, l.Title, l.Url, l.Excerpt, l.CreatedAt, l.Kind)).ToList(),
            HasMoreReplies = replies.HasMore,
            NextRepliesAfter = replies.HasMore ? replies.Replies[^1].Id : null,
            SlowModeSeconds = SlowMode.SecondsAt(thread.SlowModeSeconds, thread.SlowModeUntil, clock.GetUtcNow()),
            SlowModeUntil = SlowMode.SecondsAt(thread.SlowModeSeconds, thread.SlowModeUntil, clock.GetUtcNow()) > 0
                ? thread.SlowModeUntil
                : null,
        };
}
