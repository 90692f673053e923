using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Spam;
using LiveDiscussion.Web.Features.Threads;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Web.Features.Moderation;

/// <summary>
/// Whether a text by this author in this thread must wait for a moderator, and why: the one decision for a new reply
/// (the writer, <see cref="ReplyGroupCommit"/>) and for an edit of a published one
/// (<see cref="ReplyService.EditAsync"/>), so an edit cannot publish what a new reply would have held.
/// </summary>
/// <remarks>
/// Asked inside the caller's write transaction: the spam checks read under SQLite's write lock and so see every node's
/// replies. The spam checks come before the approval rule, because their reason tells a moderator more.
/// </remarks>
public sealed class HoldRules(NewMembers newMembers, SpamDefence? spam = null)
{
    /// <summary>
    /// Why <paramref name="body"/> by <paramref name="author"/> in <paramref name="thread"/> must wait
    /// (<see cref="HoldReasons"/>), or null. Moderators are never held. <paramref name="linkCount"/> and
    /// <paramref name="bodyHash"/> are worked out from the rendered body before the write lock
    /// (<see cref="SpamText"/>); <paramref name="earlierInBatch"/> are the writer's replies staged before this one in its
    /// transaction, not in the table yet (none for an edit).
    /// </summary>
    public async ValueTask<string?> HoldReasonAsync(
        DiscussionDbContext db, Actor author, DiscussionThread thread, string body, int linkCount, long? bodyHash,
        DateTimeOffset at, IEnumerable<Reply> earlierInBatch)
    {
        if (author.IsModerator)
        {
            return null;
        }

        if (author.HoldAllReplies)
        {
            return HoldReasons.AuthorHeld;
        }

        var candidate = new SpamCandidate(db, author, thread.Id, body, linkCount, bodyHash, at, earlierInBatch, newMembers);
        if (spam is not null && await spam.HoldReasonAsync(candidate) is { } spamReason)
        {
            return spamReason;
        }

        var holdNewMembers = thread.HoldNewMembersReplies || await SiteHoldsNewMembersReplies(db);
        return holdNewMembers && await candidate.IsNewMemberAsync() ? HoldReasons.NewMember : null;
    }

    // Compiled once: the reply writer asks this for every reply it holds no other reason for.
    private static readonly Func<DiscussionDbContext, Task<bool>> SiteHoldsNewMembersReplies = CompiledPerModel.Query(
        (DiscussionDbContext db) => db.SiteSettings.Any(s => s.Id == SiteSettings.SingletonId && s.HoldNewMembersReplies));
}
