using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Web.Features.Replies;

public static class ReplyMapping
{
    /// <summary>
    /// The reply as <paramref name="viewer"/> may see it (everyone, when null): text of a visible reply for all; of a
    /// hidden or held one only for its author and moderators; of a deleted one for no one.
    /// </summary>
    public static ReplyDto ToDto(this Reply reply, DiscussionThread thread, BodyRenderer renderer, Actor? viewer = null)
    {
        var shown = reply.State == ReplyState.Visible
            || (reply.State is ReplyState.Hidden or ReplyState.Pending or ReplyState.Rejected && CanSeeUnpublished(reply, viewer));
        return new ReplyDto(
            reply.Id,
            reply.ThreadId,
            reply.ParentReplyId,
            new AuthorDto(reply.AuthorName, reply.AuthorId),
            IsByThreadAuthor(reply, thread),
            shown ? reply.Body : "",
            shown ? renderer.HtmlOf(reply) : "",
            reply.CreatedAt,
            reply.EditedAt,
            reply.State,
            reply.State == ReplyState.Hidden || (reply.State == ReplyState.Rejected && shown) ? reply.HiddenReason : null);
    }

    /// <summary>Held and rejected replies exist only for their author and moderators; everyone else never sees them.</summary>
    public static bool IsUnpublished(ReplyState state) => state is ReplyState.Pending or ReplyState.Rejected;

    /// <summary>Whether <paramref name="viewer"/> sees a reply that is not public: its author and moderators do.</summary>
    public static bool CanSeeUnpublished(Reply reply, Actor? viewer) =>
        viewer is not null && (viewer.IsModerator || viewer.UserId == reply.AuthorId);

    private static bool IsByThreadAuthor(Reply reply, DiscussionThread thread) =>
        (reply.AuthorId is not null && reply.AuthorId == thread.AuthorId)
        || (reply.AuthorExternalKey is not null && reply.AuthorExternalKey == thread.AuthorExternalKey);

    /// <summary>
    /// Orders replies as the tree reads top to bottom: each reply followed by its answers, siblings oldest first.
    /// </summary>
    public static List<ReplyDto> InTreeOrder(IReadOnlyCollection<ReplyDto> replies)
    {
        var children = ChildrenOf(replies.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList());
        var ordered = new List<ReplyDto>(replies.Count);
        var pending = new Stack<ReplyDto>(children[null].Reverse());
        while (pending.TryPop(out var reply))
        {
            ordered.Add(reply);
            foreach (var child in children[reply.Id].Reverse())
            {
                pending.Push(child);
            }
        }

        return ordered;
    }

    /// <summary>
    /// Each reply's answers, keeping the order given; the key <c>null</c> holds the top level, which includes any reply
    /// whose parent is not in the list, so nothing is ever dropped.
    /// </summary>
    public static ILookup<long?, ReplyDto> ChildrenOf(IReadOnlyCollection<ReplyDto> replies)
    {
        var ids = replies.Select(r => r.Id).ToHashSet();
        return replies.ToLookup(r => r.ParentReplyId is { } parent && ids.Contains(parent) ? parent : (long?)null);
    }
}
