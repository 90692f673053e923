using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Infrastructure;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;

namespace LiveDiscussion.Tests.Services;

/// <summary>The services as the pages call them, with many writers at once on one SQLite file.</summary>
public sealed class ConcurrentWritesTests : IDisposable
{
    private readonly TestApp _app = new(seedDemo: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Concurrent_replies_get_distinct_gap_free_seqs_matching_the_stored_replies()
    {
        var member = await _app.PrincipalAsync("Writer");
        var thread = await _app.Service<ThreadService>().StartAsync(member, new CreateThreadRequest("Busy", "Very busy"));
        var replies = _app.Service<ReplyService>();

        var posted = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => replies.PostAsync(member, new PostReplyRequest(thread.Id, null, $"reply {i}")))));

        var catchUp = await _app.Service<ThreadEventLog>().GetAfterAsync(thread.Id, 0);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), catchUp.Events.Select(e => e.Seq));
        Assert.Equal(posted.Select(r => r.Id).Order(), catchUp.Events.Select(e => e.Reply!.Id).Order());
        Assert.Equal(40, (await _app.Service<ThreadService>().GetAsync(thread.Id)).ReplyCount);
    }

    [Fact]
    public async Task A_reply_racing_a_close_either_lands_before_the_close_or_is_refused_with_the_reason()
    {
        var member = await _app.PrincipalAsync("Writer");
        var moderator = await _app.PrincipalAsync("Mod", Roles.Moderator);
        var threads = _app.Service<ThreadService>();
        var replies = _app.Service<ReplyService>();
        var thread = await threads.StartAsync(member, new CreateThreadRequest("Racing", "Go"));

        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Reply: await replies.PostAsync(member, new PostReplyRequest(thread.Id, null, $"racer {i}")), Refusal: (string?)null);
            }
            catch (DiscussionProblem problem)
            {
                return (Reply: (ReplyDto?)null, Refusal: problem.Message);
            }
        })).ToList();
        await Task.Delay(5);
        await threads.CloseAsync(moderator, thread.Id, "Race over");
        var outcomes = await Task.WhenAll(writers);

        var events = (await _app.Service<ThreadEventLog>().GetAfterAsync(thread.Id, 0)).Events;
        var closeSeq = events.Single(e => e.Type == ThreadEventTypes.ThreadClosed).Seq;
        var accepted = outcomes.Where(o => o.Reply is not null).Select(o => o.Reply!.Id).ToHashSet();
        Assert.All(events.Where(e => e.Type == ThreadEventTypes.ReplyPosted), e => Assert.True(e.Seq < closeSeq));
        Assert.Equal(accepted, events.Where(e => e.Reply is not null).Select(e => e.Reply!.Id).ToHashSet());
        Assert.All(outcomes.Where(o => o.Reply is null), o => Assert.Equal("This thread is closed: Race over", o.Refusal));
        Assert.Equal(accepted.Count, (await threads.GetAsync(thread.Id)).Replies.Count);
    }
}
