using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Tests.Pages;

public class LiveThreadTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Events_in_order_are_applied_once_and_repeats_are_ignored()
    {
        var live = new LiveThread(Thread(latestSeq: 0));

        Assert.Equal(EventOutcome.Applied, live.Apply(Posted(1, replyId: 10)));
        Assert.Equal(EventOutcome.Applied, live.Apply(Posted(2, replyId: 11, parent: 10)));
        Assert.Equal(EventOutcome.AlreadySeen, live.Apply(Posted(1, replyId: 10)));

        Assert.Equal(2, live.LastSeq);
        Assert.Equal([10L, 11], live.Replies.Select(r => r.Id));
        Assert.Equal([11L], live.ChildrenOf(10).Select(r => r.Id));
        Assert.Equal(2, live.Thread.ReplyCount);
    }

    [Fact]
    public void An_event_past_a_missing_one_is_a_gap_and_changes_nothing()
    {
        var live = new LiveThread(Thread(latestSeq: 3));

        Assert.Equal(EventOutcome.Gap, live.Apply(Posted(5, replyId: 20)));

        Assert.Equal(3, live.LastSeq);
        Assert.Empty(live.Replies);
        Assert.Equal(EventOutcome.Applied, live.Apply(Posted(4, replyId: 19)));
        Assert.Equal(EventOutcome.Applied, live.Apply(Posted(5, replyId: 20)));
        Assert.Equal([19L, 20], live.Replies.Select(r => r.Id));
    }

    [Fact]
    public void Ones_own_reply_shown_at_once_is_not_doubled_when_its_event_arrives()
    {
        var live = new LiveThread(Thread(latestSeq: 0));
        var own = Reply(30);

        live.Upsert(own);
        live.Apply(new ThreadEventDto(1, 1, ThreadEventTypes.ReplyPosted, Start, own));

        Assert.Single(live.Replies);
        Assert.Equal(1, live.Thread.ReplyCount);
    }

    [Fact]
    public void Deletions_edits_closes_and_reopens_update_what_is_shown()
    {
        var live = new LiveThread(Thread(latestSeq: 0));
        live.Apply(Posted(1, replyId: 40));

        live.Apply(new ThreadEventDto(1, 2, ThreadEventTypes.ReplyEdited, Start, Reply(40) with { Body = "edited" }));
        Assert.Equal("edited", live.Replies.Single().Body);

        live.Apply(new ThreadEventDto(1, 3, ThreadEventTypes.ReplyDeleted, Start, Reply(40) with { State = ReplyState.Deleted, Body = "" }));
        Assert.Equal(ReplyState.Deleted, live.Replies.Single().State);
        Assert.Equal(0, live.Thread.ReplyCount);

        live.Apply(new ThreadEventDto(1, 4, ThreadEventTypes.ThreadClosed, Start, Reason: "Resolved"));
        Assert.Equal(ThreadState.Closed, live.Thread.State);
        Assert.Equal("Resolved", live.Thread.CloseReason);

        live.Apply(new ThreadEventDto(1, 5, ThreadEventTypes.ThreadReopened, Start));
        Assert.Equal(ThreadState.Open, live.Thread.State);
        Assert.Null(live.Thread.CloseReason);
        Assert.Equal(5, live.Thread.LatestSeq);
    }

    private static ThreadDetailDto Thread(long latestSeq) => new(
        1, "A thread", "a-thread", new AuthorDto("Julia", "u1"), "Body", "<p>Body</p>", Start, Start, ThreadState.Open,
        null, false, latestSeq, 0, []);

    private static ThreadEventDto Posted(long seq, long replyId, long? parent = null) =>
        new(1, seq, ThreadEventTypes.ReplyPosted, Start, Reply(replyId, parent));

    private static ReplyDto Reply(long id, long? parent = null) => new(
        id, 1, parent, new AuthorDto("Louise", "u2"), false, "text", "<p>text</p>", Start.AddMinutes(id), null, ReplyState.Visible);
}
