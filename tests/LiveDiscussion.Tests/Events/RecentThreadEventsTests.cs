using LiveDiscussion.Contracts;
using LiveDiscussion.Web.Features.Events;

namespace LiveDiscussion.Tests.Events;

public sealed class RecentThreadEventsTests : IDisposable
{
    private const long Thread = 7;
    private readonly RecentThreadEvents _recent = new();

    public void Dispose() => _recent.Dispose();

    private static ReplyDto Reply(long id, string body, ReplyState state = ReplyState.Visible) => new(
        id, Thread, null, new AuthorDto("Julia", "u1"), false, body, $"<p>{body}</p>", DateTimeOffset.UnixEpoch, null, state);

    private static ThreadEventDto Event(long seq, string type, ReplyDto? reply = null) =>
        new(Thread, seq, type, DateTimeOffset.UnixEpoch.AddSeconds(seq), reply);

    private static ThreadEventDto Posted(long seq, long replyId) =>
        Event(seq, ThreadEventTypes.ReplyPosted, Reply(replyId, $"Reply {replyId}"));

    [Fact]
    public void Nothing_is_served_for_a_thread_never_read()
    {
        Assert.False(_recent.TryGet(Thread, 0, 3, out _));
    }

    [Fact]
    public void Kept_events_answer_any_catch_up_inside_them_and_follow_later_events()
    {
        _recent.Keep(Thread, [Posted(1, 10), Posted(2, 11), Posted(3, 12)]);
        _recent.Remember(Posted(4, 13));

        Assert.True(_recent.TryGet(Thread, 1, 4, out var events));
        Assert.Equal([2L, 3, 4], events.Select(e => e.Seq));
        Assert.False(_recent.TryGet(Thread, 1, 5, out _));
    }

    [Fact]
    public void An_event_that_does_not_follow_ends_the_run_so_nothing_is_served_across_a_gap()
    {
        _recent.Keep(Thread, [Posted(1, 10), Posted(2, 11)]);

        _recent.Remember(Posted(4, 13));

        Assert.False(_recent.TryGet(Thread, 0, 2, out _));
        Assert.False(_recent.TryGet(Thread, 0, 4, out _));
    }

    [Fact]
    public void A_deleted_reply_is_withheld_from_the_earlier_event_that_posted_it()
    {
        _recent.Keep(Thread, [Posted(1, 10), Posted(2, 11)]);

        _recent.Remember(Event(3, ThreadEventTypes.ReplyDeleted, Reply(10, "", ReplyState.Deleted)));

        Assert.True(_recent.TryGet(Thread, 0, 3, out var events));
        Assert.Equal(["", "Reply 11", ""], events.Select(e => e.Reply!.Body));
        Assert.Equal(ReplyState.Deleted, events[0].Reply!.State);
    }

    [Fact]
    public void Events_heard_while_the_log_was_read_are_joined_to_it_with_the_replies_as_they_are_now()
    {
        _recent.StartCollecting(Thread);
        _recent.Remember(Event(3, ThreadEventTypes.ReplyEdited, Reply(10, "Edited")));
        _recent.Remember(Posted(4, 12));
        Assert.False(_recent.TryGet(Thread, 0, 2, out _));

        _recent.Keep(Thread, [Posted(1, 10), Posted(2, 11)]);

        Assert.True(_recent.TryGet(Thread, 0, 4, out var events));
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Seq));
        Assert.Equal("Edited", events[0].Reply!.Body);
    }

    [Fact]
    public void Events_heard_during_the_read_after_a_gap_are_not_joined()
    {
        _recent.StartCollecting(Thread);
        _recent.Remember(Posted(5, 14));

        _recent.Keep(Thread, [Posted(1, 10), Posted(2, 11)]);

        Assert.True(_recent.TryGet(Thread, 0, 2, out _));
        Assert.False(_recent.TryGet(Thread, 0, 5, out _));
    }
}
