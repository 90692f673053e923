using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Replies;

namespace LiveDiscussion.Tests.Replies;

public class ReplyTreeOrderTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_reply_is_followed_by_its_answers_and_siblings_are_oldest_first()
    {
        // 1 ─ 3 ─ 5
        //   └ 4
        // 2 ─ 6
        ReplyDto[] replies = [Reply(5, 3, 50), Reply(2, null, 20), Reply(6, 2, 60), Reply(1, null, 10), Reply(4, 1, 40), Reply(3, 1, 30)];

        var order = ReplyMapping.InTreeOrder(replies).Select(r => r.Id);

        Assert.Equal([1L, 3, 5, 4, 2, 6], order);
    }

    [Fact]
    public void A_reply_whose_parent_is_missing_is_kept_at_the_top_level()
    {
        ReplyDto[] replies = [Reply(7, 99, 70), Reply(1, null, 10)];

        var order = ReplyMapping.InTreeOrder(replies).Select(r => r.Id);

        Assert.Equal([1L, 7], order);
    }

    private static ReplyDto Reply(long id, long? parent, int minutes) => new(
        id, 1, parent, new AuthorDto("someone", null), false, "body", "<p>body</p>", Start.AddMinutes(minutes), null,
        ReplyState.Visible);
}
