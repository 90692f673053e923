using System.Security.Claims;
using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Reports;
using LiveDiscussion.Web.Features.RateLimits;
using LiveDiscussion.Web.Features.Spam;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Replies;

public sealed class ReplyService(
    IDbContextFactory<DiscussionDbContext> dbFactory,
    BodyRenderer renderer,
    ModeratedWrite write,
    ReplyGroupCommit groupCommit,
    HoldRules holds,
    PostingLimits limits,
    TimeProvider clock)
{
    private const string What = "A reply";

    public Task<ReplyDto> PostAsync(ClaimsPrincipal user, PostReplyRequest request, CancellationToken ct = default) =>
        PostAsync(user, request, toModerators: false, ct);

    /// <summary>
    /// Hands a reply to the moderators instead of posting it, even in a closed thread: it waits in their queue, and its
    /// author keeps it (marked as awaiting approval) rather than losing what they wrote.
    /// </summary>
    public Task<ReplyDto> SendToModeratorsAsync(ClaimsPrincipal user, PostReplyRequest request, CancellationToken ct = default) =>
        PostAsync(user, request, toModerators: true, ct);

    private async Task<ReplyDto> PostAsync(ClaimsPrincipal user, PostReplyRequest request, bool toModerators, CancellationToken ct)
    {
        var body = TextRules.Require(request.Body, "body", What, Limits.BodyMaxLength);
        var clientRequestId = TextRules.Optional(
            request.ClientRequestId, "clientRequestId", "A clientRequestId", Limits.ClientRequestIdMaxLength);
        // Whether this account may post (it exists, it is not suspended) is read by the writer, in the transaction that
        // stores the reply: one read per author for the whole batch, and a suspension stored before it counts.
        var authorId = Actor.SignedInUserId(user) ?? throw DiscussionProblem.SignInRequired(ReplyGroupCommit.SignInToReply);
        // Before rendering: a flood is turned away before it costs the renderer anything.
        await limits.CheckReplyAsync(authorId, ct);
        var html = renderer.ToHtmlOrRefuse(body, BodyFormat.Markdown, "body");
        return await groupCommit.WriteAsync(
            new QueuedReply(authorId, request.ThreadId, request.ParentReplyId, body, html, clientRequestId, toModerators), ct);
    }

    /// <summary>
    /// Changes the author's own reply. An edit of a published reply that the same text as a new reply would have been
    /// held for (<see cref="HoldRules"/>) is not published: it waits for a moderator as a proposal on the reply, in place
    /// of any earlier one, while everyone keeps reading the published words. Returns the reply as its author sees it.
    /// </summary>
    public async Task<ReplyDto> EditAsync(ClaimsPrincipal user, long replyId, string? newBody, CancellationToken ct = default)
    {
        var body = TextRules.Require(newBody, "body", What, Limits.BodyMaxLength);
        // Rendered before the write lock is taken: Markdig's time is the poster's, never every writer's. So are the
        // figures the spam checks read, as for a new reply.
        var html = renderer.ToHtmlOrRefuse(body, BodyFormat.Markdown, "body");
        var linkCount = SpamText.CountLinks(html);
        var bodyHash = SpamText.RepeatHash(body, html);
        return await write.RunAsync(WriteCheck.SignedIn(user, "Sign in to edit your replies."), async change =>
        {
            var reply = await FindLiveReplyAsync(change, replyId, change.Actor, ct);
            if (reply.AuthorId != change.Actor.UserId)
            {
                throw DiscussionProblem.Forbidden("You can only edit your own replies.");
            }

            if (reply.State == ReplyState.Rejected)
            {
                throw DiscussionProblem.Conflict("A reply a moderator did not approve cannot be edited.");
            }

            // A closed thread is frozen for writing; taking back one's words (delete) stays possible.
            var thread = reply.Thread!;
            if (thread.State == ThreadState.Closed)
            {
                throw ThreadProblems.Closed(thread.CloseReason);
            }

            if (reply.Body == body)
            {
                // Back to the words everyone reads: an edit that waited is withdrawn, and nobody else hears of either.
                if (reply.HasProposedEdit)
                {
                    reply.DropProposedEdit();
                    change.ModerationQueueChanged();
                }

                return reply.ToDto(thread, renderer, change.Actor);
            }

            if (reply.HasProposedEdit && reply.ProposedBody == body)
            {
                return reply.ToDto(thread, renderer, change.Actor);
            }

            // Imported blog HTML takes paragraph rules and the sanitizer, no Markdig.
            var bodyHtml = reply.BodyFormat == BodyFormat.Markdown ? html : renderer.ToHtml(body, reply.BodyFormat);
            var now = clock.GetUtcNow();
            if (reply.State == ReplyState.Visible
                && await holds.HoldReasonAsync(change.Db, change.Actor, thread, body, linkCount, bodyHash, now, []) is { } heldReason)
            {
                // Everyone keeps reading the published words until a moderator approves these: no event, only the
                // moderators' queue hears.
                reply.ProposeEdit(body, bodyHtml, heldReason, now);
                change.ModerationQueueChanged();
                return reply.ToDto(thread, renderer, change.Actor);
            }

            if (reply.HasProposedEdit)
            {
                change.ModerationQueueChanged();
            }

            ApplyEdit(reply, body, bodyHtml, now);
            if (reply.State == ReplyState.Pending)
            {
                // Nobody but its author and the moderators knows of it: the queue shows the new words, no one else hears.
                change.ModerationQueueChanged();
                return reply.ToDto(thread, renderer, change.Actor);
            }

            change.Append(thread, ThreadEventTypes.ReplyEdited, reply.ToDto(thread, renderer));
            return reply.ToDto(thread, renderer, change.Actor);
        }, ct);
    }

    /// <summary>Puts <paramref name="body"/> in the reply's place, for whoever may read it; any waiting edit is gone.</summary>
    private static void ApplyEdit(Reply reply, string body, string bodyHtml, DateTimeOffset at)
    {
        reply.Body = body;
        reply.BodyHtml = bodyHtml;
        reply.BodyHtmlRules = BodyRenderer.RulesVersion;
        // The repeated-text check compares stored hashes: they follow the words the reply has now.
        reply.BodyHash = SpamText.RepeatHash(body, bodyHtml);
        reply.EditedAt = at;
        reply.DropProposedEdit();
        reply.EditRejectedAt = null;
        reply.EditRejectedReason = null;
    }

    public Task DeleteAsync(ClaimsPrincipal user, long replyId, CancellationToken ct = default) =>
        write.RunAsync(WriteCheck.SignedIn(user, "Sign in to delete your replies."), async change =>
        {
            var actor = change.Actor;
            var reply = await FindLiveReplyAsync(change, replyId, actor, ct);
            if (reply.AuthorId != actor.UserId && !actor.IsModerator)
            {
                throw DiscussionProblem.Forbidden("You can only delete your own replies.");
            }

            await Ranks.RequireMayActAgainstAsync(change.Db, actor, reply.AuthorId, "delete the replies of", ct);

            // The row stays so the answers below it keep their place in the tree; its text is withheld from every
            // reader from now on, the event log included, because DTOs are built from the row's current state. A reply
            // that was never published leaves as quietly as it came: no event, only the moderators' queue changes; and
            // a held one that nothing refers to (no answer, no event) leaves no trace at all.
            var wasPublished = !ReplyMapping.IsUnpublished(reply.State);
            if (reply.ProposedBody is not null)
            {
                // An edit waiting for a moderator goes with the reply.
                reply.DropProposedEdit();
                change.ModerationQueueChanged();
            }

            if (reply.State == ReplyState.Pending)
            {
                change.ModerationQueueChanged();
                if (!await change.Db.Replies.AnyAsync(r => r.ParentReplyId == reply.Id, ct))
                {
                    change.Db.Replies.Remove(reply);
                    if (reply.AuthorId != actor.UserId)
                    {
                        change.Audit(AuditActions.DeleteReply, null, reply.ThreadId, reply.Id, reply.AuthorId);
                    }

                    return;
                }
            }

            reply.State = ReplyState.Deleted;
            var deletedAt = wasPublished
                ? change.Append(reply.Thread!, ThreadEventTypes.ReplyDeleted, reply.ToDto(reply.Thread!, renderer),
                    actor: actor.DisplayName).At
                : clock.GetUtcNow();
            if (reply.AuthorId != actor.UserId)
            {
                change.Audit(AuditActions.DeleteReply, deletedAt, reply.ThreadId, reply.Id, reply.AuthorId);
            }
        }, ct);

    public async Task HideAsync(ClaimsPrincipal user, long replyId, string? reason, CancellationToken ct = default)
    {
        var trimmedReason = TextRules.Optional(reason, "reason", "A reason", Limits.ReasonMaxLength);
        await ModerateAsync(user, replyId, ReplyModeration.Hide, trimmedReason, ct);
    }

    public Task RestoreAsync(ClaimsPrincipal user, long replyId, CancellationToken ct = default) =>
        ModerateAsync(user, replyId, ReplyModeration.Restore, reason: null, ct);

    /// <summary>
    /// Publishes a held reply: everyone watching sees it arrive now, in its place in the tree. For a published reply
    /// whose author's edit waits, applies that edit: everyone watching sees it as an edit now.
    /// </summary>
    public Task ApproveAsync(ClaimsPrincipal user, long replyId, CancellationToken ct = default) =>
        ModerateAsync(user, replyId, ReplyModeration.Approve, reason: null, ct);

    /// <summary>
    /// Turns a held reply down; its author sees it marked, with the reason, and nobody else ever sees it. For a published
    /// reply whose author's edit waits, drops that edit: the published words stay, and only its author is told why.
    /// </summary>
    public async Task RejectAsync(ClaimsPrincipal user, long replyId, string? reason, CancellationToken ct = default)
    {
        var trimmedReason = TextRules.Optional(reason, "reason", "A reason", Limits.ReasonMaxLength);
        await ModerateAsync(user, replyId, ReplyModeration.Reject, trimmedReason, ct);
    }

    /// <summary>
    /// Held replies and the waiting edits of published ones, oldest first (a reply by when it was posted, an edit by when
    /// it was made), for the moderation queue.
    /// </summary>
    public async Task<List<HeldReplyDto>> HeldAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var moderator = await Actor.RequireModeratorAsync(db, user, "see the moderation queue", clock, ct);

        var held = await db.Replies.AsNoTracking().Include(r => r.Thread)
            .Where(r => r.State == ReplyState.Pending || (r.State == ReplyState.Visible && r.ProposedBody != null))
            .OrderBy(r => r.ProposedAt ?? r.CreatedAt)
            .Take(200)
            .ToListAsync(ct);
        var parentIds = held.Where(r => r.ParentReplyId is not null).Select(r => r.ParentReplyId!.Value).ToList();
        var parentNames = await db.Replies.Where(r => parentIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.AuthorName, ct);
        return held.Select(r => new HeldReplyDto(
                r.ToDto(r.Thread!, renderer, moderator), r.Thread!.Title, r.Thread.Slug,
                r.ParentReplyId is { } parent ? parentNames.GetValueOrDefault(parent) : r.Thread.AuthorName,
                r.HasProposedEdit ? HoldReasons.Edit(r.ProposedHeldReason) : r.HeldReason))
            .ToList();
    }

    /// <summary>A moderator's decision on one reply: from which state to which, and how it is recorded.</summary>
    /// <param name="AgainstAuthor">What the decision does to the author, for the rank rule (<see cref="Ranks"/>); null
    /// for a decision in the author's favour.</param>
    private sealed record ReplyModeration(
        string Verb, ReplyState From, string Conflict, ReplyState To, string EventType, string AuditAction,
        string? AgainstAuthor = null)
    {
        private const string NoLongerHeld = "This reply is no longer waiting for approval.";

        /// <summary>Approving or rejecting a published reply decides its author's edit that waits, if one does.</summary>
        public bool DecidesWaitingEdits => From == ReplyState.Pending;

        public static readonly ReplyModeration Hide = new("hide", ReplyState.Visible, "Only a visible reply can be hidden.",
            ReplyState.Hidden, ThreadEventTypes.ReplyHidden, AuditActions.HideReply, "hide the replies of");

        public static readonly ReplyModeration Restore = new("restore", ReplyState.Hidden, "Only a hidden reply can be restored.",
            ReplyState.Visible, ThreadEventTypes.ReplyRestored, AuditActions.RestoreReply);

        public static readonly ReplyModeration Approve = new("approve", ReplyState.Pending, NoLongerHeld,
            ReplyState.Visible, ThreadEventTypes.ReplyPosted, AuditActions.ApproveReply);

        public static readonly ReplyModeration Reject = new("reject", ReplyState.Pending, NoLongerHeld,
            ReplyState.Rejected, ThreadEventTypes.ReplyRejected, AuditActions.RejectReply, "reject the replies of");
    }

    private Task ModerateAsync(ClaimsPrincipal user, long replyId, ReplyModeration decision, string? reason, CancellationToken ct) =>
        write.RunAsync(WriteCheck.Moderator(user, $"{decision.Verb} replies"), async change =>
        {
            // Checked under the write lock, so two moderators acting at once cannot both approve (or hide) one reply.
            var reply = await FindLiveReplyAsync(change, replyId, change.Actor, ct);
            if (decision.DecidesWaitingEdits && reply.HasProposedEdit)
            {
                await DecideWaitingEditAsync(change, reply, approve: decision == ReplyModeration.Approve, reason, ct);
                return;
            }

            if (reply.State != decision.From)
            {
                throw DiscussionProblem.Conflict(decision.Conflict);
            }

            if (decision.AgainstAuthor is { } against)
            {
                await Ranks.RequireMayActAgainstAsync(change.Db, change.Actor, reply.AuthorId, against, ct);
            }

            reply.State = decision.To;
            reply.HiddenReason = reason;
            if (decision.EventType == ThreadEventTypes.ReplyPosted)
            {
                reply.Thread!.LastActivityAt = clock.GetUtcNow();
            }

            var changed = change.Append(reply.Thread!, decision.EventType, reply.ToDto(reply.Thread!, renderer),
                reason: reason, actor: change.Actor.DisplayName);
            change.Audit(decision.AuditAction, changed.At, reply.ThreadId, reply.Id, reply.AuthorId, reason);
            // Hiding a reply answers its readers' reports, and so does restoring one (the reports hid it, say).
            if (decision == ReplyModeration.Hide || decision == ReplyModeration.Restore)
            {
                await ReplyFlag.ReviewOpenAsync(change.Db, reply.Id,
                    decision == ReplyModeration.Hide ? ReplyFlag.Resolutions.Hidden : ReplyFlag.Resolutions.Dismissed, changed.At, ct);
            }

            change.ModerationQueueChanged();
        }, ct);

    /// <summary>
    /// A moderator's decision on the edit that waits on a published reply. Approved, it replaces the published words
    /// as the author's own edit would have (a <c>reply-edited</c> event); turned down, it is dropped and nobody but its
    /// author, told the reason, learns it ever existed.
    /// </summary>
    private async Task DecideWaitingEditAsync(ModeratedChange change, Reply reply, bool approve, string? reason, CancellationToken ct)
    {
        var thread = reply.Thread!;
        var now = clock.GetUtcNow();
        if (approve)
        {
            ApplyEdit(reply, reply.ProposedBody!, ReplyMapping.ProposedHtmlOf(reply, renderer), now);
            var edited = change.Append(thread, ThreadEventTypes.ReplyEdited, reply.ToDto(thread, renderer),
                actor: change.Actor.DisplayName);
            change.Audit(AuditActions.ApproveEdit, edited.At, reply.ThreadId, reply.Id, reply.AuthorId);
        }
        else
        {
            await Ranks.RequireMayActAgainstAsync(change.Db, change.Actor, reply.AuthorId, "reject the edits of", ct);
            reply.DropProposedEdit();
            reply.EditRejectedAt = now;
            reply.EditRejectedReason = reason;
            change.Audit(AuditActions.RejectEdit, now, reply.ThreadId, reply.Id, reply.AuthorId, reason);
        }

        change.ModerationQueueChanged();
    }

    /// <summary>The reply as the caller may see it: its author and moderators see the text of a hidden one.</summary>
    public async Task<ReplyDto> GetAsync(ClaimsPrincipal user, long replyId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var viewer = await Actor.FindAsync(db, user, ct);
        var reply = await db.Replies.AsNoTracking().Include(r => r.Thread).SingleOrDefaultAsync(r => r.Id == replyId, ct);
        return reply is null || (ReplyMapping.IsUnpublished(reply.State) && !ReplyMapping.CanSeeUnpublished(reply, viewer))
            ? throw DiscussionProblem.NotFound("Reply not found")
            : reply.ToDto(reply.Thread!, renderer, viewer);
    }

    /// <summary>
    /// The reply to change. One that <paramref name="actor"/> may not see (held or turned down, and neither theirs nor
    /// theirs to moderate) is not found, as on every read: a refusal must not tell that it exists.
    /// </summary>
    private static async Task<Reply> FindLiveReplyAsync(ModeratedChange change, long replyId, Actor actor, CancellationToken ct)
    {
        var reply = await change.LockReplyAsync(replyId, ct);
        return reply switch
        {
            null => throw DiscussionProblem.NotFound("Reply not found"),
            _ when ReplyMapping.IsUnpublished(reply.State) && !ReplyMapping.CanSeeUnpublished(reply, actor) =>
                throw DiscussionProblem.NotFound("Reply not found"),
            { State: ReplyState.Deleted } => throw DiscussionProblem.Conflict("This reply was deleted."),
            _ => reply,
        };
    }
}
