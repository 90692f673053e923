using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Content;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Web.Features.Replies;

public static class ReplyMapping
{
    public static ReplyDto ToDto(this Reply reply, DiscussionThread thread, BodyRenderer renderer)
    {
        var shown = reply.State == ReplyState.Visible;
        return new ReplyDto(
            reply.Id,
            reply.ThreadId,
            reply.ParentReplyId,
            new AuthorDto(reply.AuthorName, reply.AuthorId),
            IsByThreadAuthor(reply, thread),
            shown ? reply.Body : "",
            shown ? renderer.ToHtml(reply.Body, reply.BodyFormat) : "",
            reply.CreatedAt,
            reply.EditedAt,
            reply.State);
    }

    private static bool IsByThreadAuthor(Reply reply, DiscussionThread thread) =>
        (reply.AuthorId is not null && reply.AuthorId == thread.AuthorId)
        || (reply.AuthorExternalKey is not null && reply.AuthorExternalKey == thread.AuthorExternalKey);

    /// <summary>
    /// Orders replies as the tree reads top to bottom: each reply followed by its answers, siblings oldest first.
    /// A reply whose parent is not in the list is treated as a top-level one, so nothing is ever dropped.
    /// </summary>
    public static List<ReplyDto> InTreeOrder(IReadOnlyCollection<ReplyDto> replies)
    {
        var ids = replies.Select(r => r.Id).ToHashSet();
        var children = replies
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .ToLookup(r => r.ParentReplyId is { } parent && ids.Contains(parent) ? parent : (long?)null);

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
}
