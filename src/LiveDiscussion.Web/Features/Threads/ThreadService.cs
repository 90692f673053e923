using System.Linq.Expressions;
using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Infrastructure;
using LiveDiscussion.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Threads;

public sealed class ThreadService(
    IDbContextFactory<DiscussionDbContext> dbFactory,
    BodyRenderer renderer,
    ThreadEventLog events,
    ThreadEventPublisher publisher,
    TimeProvider clock)
{
    public async Task<List<ThreadSummaryDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AsSummaries(db.Threads
                .OrderByDescending(t => t.IsPinned).ThenByDescending(t => t.LastActivityAt).ThenByDescending(t => t.Id))
            .ToListAsync(ct);
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
        EF.CompileAsyncQuery((DiscussionDbContext db, long threadId) =>
            db.Threads.AsNoTracking().Where(t => t.Id == threadId).Select(SummaryOf).SingleOrDefault());

    /// <summary>The thread as <paramref name="user"/> sees it: held replies only for their authors and moderators.</summary>
    public async Task<ThreadDetailDto> GetAsync(long id, ClaimsPrincipal? user = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = user is null ? null : await Actor.FindAsync(db, user, ct);
        var thread = await db.Threads.AsNoTracking()
                .Include(t => t.Replies).Include(t => t.Labels).Include(t => t.Links)
                .AsSplitQuery()
                .SingleOrDefaultAsync(t => t.Id == id, ct)
            ?? throw ThreadProblems.NotFound();
        return ToDetail(thread, viewer);
    }

    public Task<ThreadDetailDto> StartAsync(ClaimsPrincipal user, CreateThreadRequest request, CancellationToken ct = default) =>
        SqliteBusyRetry.RunAsync(() => StartAttemptAsync(user, request, ct), ct);

    private async Task<ThreadDetailDto> StartAttemptAsync(ClaimsPrincipal user, CreateThreadRequest request, CancellationToken ct)
    {
        var title = TextRules.Require(request.Title, "title", "Title", Limits.TitleMaxLength);
        var body = TextRules.Require(request.Body, "body", "The post", Limits.ThreadBodyMaxLength);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var author = await Actor.RequireAsync(db, user, "Sign in to start a thread.", ct);
        var now = clock.GetUtcNow();
        var thread = new DiscussionThread
        {
            Title = title,
            Slug = Slug.From(title),
            Body = body,
            BodyFormat = BodyFormat.Markdown,
            AuthorId = author.UserId,
            AuthorName = author.DisplayName,
            CreatedAt = now,
            LastActivityAt = now,
            State = ThreadState.Open,
        };
        renderer.Render(thread);
        db.Threads.Add(thread);
        await db.SaveChangesAsync(ct);
        publisher.RequestListChange(thread.Id);
        return ToDetail(thread);
    }

    public Task CloseAsync(ClaimsPrincipal user, long id, string? reason, CancellationToken ct = default)
    {
        var trimmedReason = TextRules.Optional(reason, "reason", "A reason", Limits.ReasonMaxLength);
        return ChangeStateAsync(user, id, ThreadState.Closed, trimmedReason, ct);
    }

    public Task ReopenAsync(ClaimsPrincipal user, long id, CancellationToken ct = default) =>
        ChangeStateAsync(user, id, ThreadState.Open, reason: null, ct);

    private Task ChangeStateAsync(
        ClaimsPrincipal user, long id, ThreadState state, string? reason, CancellationToken ct) =>
        SqliteBusyRetry.RunAsync(() => ChangeStateAttemptAsync(user, id, state, reason, ct), ct);

    private async Task ChangeStateAttemptAsync(
        ClaimsPrincipal user, long id, ThreadState state, string? reason, CancellationToken ct)
    {
        var verb = state == ThreadState.Closed ? "close" : "reopen";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var moderator = await Actor.RequireModeratorAsync(db, user, $"{verb} threads", ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var thread = await db.Threads.SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw ThreadProblems.NotFound();
        if (thread.State == state)
        {
            throw DiscussionProblem.Conflict(state == ThreadState.Closed
                ? "This thread is already closed."
                : "This thread is already open.");
        }

        thread.State = state;
        thread.CloseReason = reason;
        var changed = events.Append(db, thread,
            state == ThreadState.Closed ? ThreadEventTypes.ThreadClosed : ThreadEventTypes.ThreadReopened,
            reason: reason, actor: moderator.DisplayName);
        AuditEntry.Record(db, moderator, state == ThreadState.Closed ? AuditActions.CloseThread : AuditActions.ReopenThread,
            changed.At, threadId: thread.Id, reason: reason);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await publisher.PublishAsync(changed);
        await publisher.PublishModerationQueueChangedAsync();
    }

    private ThreadDetailDto ToDetail(DiscussionThread thread, Actor? viewer = null)
    {
        var replies = ReplyMapping.InTreeOrder(thread.Replies
            .Where(r => !ReplyMapping.IsUnpublished(r.State) || ReplyMapping.CanSeeUnpublished(r, viewer))
            .Select(r => r.ToDto(thread, renderer, viewer))
            .ToList());
        return new ThreadDetailDto(
            thread.Id, thread.Title, thread.Slug, new AuthorDto(thread.AuthorName, thread.AuthorId), thread.Body,
            renderer.HtmlOf(thread), thread.CreatedAt, thread.LastActivityAt, thread.State,
            thread.CloseReason, thread.IsPinned, thread.LatestSeq,
            replies.Count(r => r.State == ReplyState.Visible), replies)
        {
            Labels = thread.Labels.OrderBy(l => l.Kind).ThenBy(l => l.Id).Select(l => new LabelDto(l.Name, l.Kind)).ToList(),
            LinkedFrom = thread.Links.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
                .Select(l => new LinkedFromDto(l.Id, l.Title, l.Url, l.Excerpt, l.CreatedAt, l.Kind)).ToList(),
        };
    }
}
