using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Web.Features.Replies;

/// <summary>A reply's place in its thread's tree: what tree order needs and nothing more.</summary>
public readonly record struct ReplyNode(long Id, long? ParentReplyId, DateTimeOffset CreatedAt);

public static class ReplyMapping
{
    /// <summary>
    /// The reply as <paramref name="viewer"/> may see it (everyone, when null): text of a visible reply for all; of a
    /// hidden or held one only for its author and moderators; of a deleted one for no one. An edit of a published reply
    /// that waits for a moderator, or that one turned down, is told to its author and moderators alone.
    /// </summary>
    public static ReplyDto ToDto(this Reply reply, DiscussionThread thread, BodyRenderer renderer, Actor? viewer = null)
    {
        var privileged = CanSeeUnpublished(reply, viewer);
        var shown = reply.State == ReplyState.Visible
            || (reply.State is ReplyState.Hidden or ReplyState.Pending or ReplyState.Rejected && privileged);
        var published = reply.State == ReplyState.Visible && privileged;
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
            reply.State == ReplyState.Hidden || (reply.State == ReplyState.Rejected && shown) ? reply.HiddenReason : null)
        {
            PendingEdit = published && reply.HasProposedEdit
                ? new PendingEditDto(reply.ProposedBody!, ProposedHtmlOf(reply, renderer), reply.ProposedAt!.Value)
                : null,
            RejectedEdit = published && reply.EditRejectedAt is { } rejectedAt
                ? new RejectedEditDto(rejectedAt, reply.EditRejectedReason)
                : null,
        };
    }

    /// <summary>
    /// The waiting edit's HTML: as stored, unless the rendering rules changed since it was made (it is shown to few, so
    /// it is rendered again on each read rather than written back, until a moderator decides).
    /// </summary>
    public static string ProposedHtmlOf(Reply reply, BodyRenderer renderer) =>
        reply.ProposedBodyHtml is { } stored && reply.ProposedBodyHtmlRules >= BodyRenderer.RulesVersion
            ? stored
            : renderer.TryToHtml(reply.ProposedBody ?? "", reply.BodyFormat) ?? "";

    /// <summary>Held and rejected replies exist only for their author and moderators; everyone else never sees them.</summary>
    public static bool IsUnpublished(ReplyState state) => state is ReplyState.Pending or ReplyState.Rejected;

    /// <summary>Whether <paramref name="viewer"/> sees a reply that is not public: its author and moderators do.</summary>
    public static bool CanSeeUnpublished(Reply reply, Actor? viewer) => CanSeeUnpublished(reply.AuthorId, viewer);

    /// <inheritdoc cref="CanSeeUnpublished(Reply, Actor?)"/>
    public static bool CanSeeUnpublished(string? authorId, Actor? viewer) =>
        viewer is not null && (viewer.IsModerator || viewer.UserId == authorId);

    private static bool IsByThreadAuthor(Reply reply, DiscussionThread thread) =>
        (reply.AuthorId is not null && reply.AuthorId == thread.AuthorId)
        || (reply.AuthorExternalKey is not null && reply.AuthorExternalKey == thread.AuthorExternalKey);

    /// <summary>
    /// Orders replies as the tree reads top to bottom: each reply followed by its answers, siblings oldest first.
    /// </summary>
    public static List<ReplyDto> InTreeOrder(IReadOnlyCollection<ReplyDto> replies) =>
        InTreeOrder(replies, r => new ReplyNode(r.Id, r.ParentReplyId, r.CreatedAt));

    /// <inheritdoc cref="InTreeOrder(IReadOnlyCollection{ReplyDto})"/>
    public static List<T> InTreeOrder<T>(IReadOnlyCollection<T> replies, Func<T, ReplyNode> node)
    {
        var nodes = replies.Select(r => (Reply: r, Node: node(r))).OrderBy(r => r.Node.CreatedAt).ThenBy(r => r.Node.Id).ToList();
        var ids = nodes.Select(r => r.Node.Id).ToHashSet();
        var children = nodes.ToLookup(r => r.Node.ParentReplyId is { } parent && ids.Contains(parent) ? parent : (long?)null);
        var ordered = new List<T>(replies.Count);
        var pending = new Stack<(T Reply, ReplyNode Node)>(children[null].Reverse());
        while (pending.TryPop(out var reply))
        {
            ordered.Add(reply.Reply);
            foreach (var child in children[reply.Node.Id].Reverse())
            {
                pending.Push(child);
            }
        }

        return ordered;
    }
}
