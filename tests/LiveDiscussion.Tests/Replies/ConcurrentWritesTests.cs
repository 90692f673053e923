using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Data;
using LiveDiscussion.Web.Features.Accounts;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LiveDiscussion.Tests.Replies;

/// <summary>The services as the pages call them, with many writers at once on one SQLite file.</summary>
public sealed class ConcurrentWritesTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Concurrent_replies_get_distinct_gap_free_seqs_matching_the_stored_replies()
    {
        var member = await app.PrincipalAsync("Writer");
        var thread = await app.Service<ThreadService>().StartAsync(member, new CreateThreadRequest("Busy", "Very busy"));
        var replies = app.Service<ReplyService>();

        var posted = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => replies.PostAsync(member, new PostReplyRequest(thread.Id, null, $"reply {i}")))));

        var catchUp = await app.Service<ThreadEventLog>().GetAfterAsync(thread.Id, 0);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), catchUp.Events.Select(e => e.Seq));
        Assert.Equal(posted.Select(r => r.Id).Order(), catchUp.Events.Select(e => e.Reply!.Id).Order());
        Assert.Equal(40, (await app.Service<ThreadService>().GetAsync(thread.Id)).ReplyCount);
    }

    [Fact]
    public async Task Replies_racing_a_close_either_land_before_it_or_are_refused_with_the_reason()
    {
        var member = await app.PrincipalAsync("Writer");
        var moderator = await app.PrincipalAsync("Mod", Roles.Moderator);
        var threads = app.Service<ThreadService>();
        var replies = app.Service<ReplyService>();
        var thread = await threads.StartAsync(member, new CreateThreadRequest("Racing", "Go"));
        var firstReplyStored = new TaskCompletionSource();

        // 20 writers keep replying until the thread refuses them, so the close lands while they are busy.
        var writers = Enumerable.Range(0, 20).Select(writer => Task.Run(async () =>
        {
            var accepted = new List<long>();
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    accepted.Add((await replies.PostAsync(member, new PostReplyRequest(thread.Id, null, $"racer {writer}.{attempt}"))).Id);
                    firstReplyStored.TrySetResult();
                }
                catch (DiscussionProblem problem)
                {
                    return (Accepted: accepted, Refusal: problem.Message);
                }
            }
        })).ToList();
        await firstReplyStored.Task;
        await threads.CloseAsync(moderator, thread.Id, "Race over");
        var outcomes = await Task.WhenAll(writers);

        // Read from the log's table rather than through a catch-up: with group commit the writers can store more than
        // a catch-up's 500 events before the close lands.
        await using var db = await app.Service<IDbContextFactory<DiscussionDbContext>>().CreateDbContextAsync();
        var events = await db.ThreadEvents.Where(e => e.ThreadId == thread.Id).OrderBy(e => e.Seq)
            .Select(e => new { e.Seq, e.Type, e.ReplyId }).ToListAsync();
        var closeSeq = events.Single(e => e.Type == ThreadEventTypes.ThreadClosed).Seq;
        var accepted = outcomes.SelectMany(o => o.Accepted).ToHashSet();
        Assert.NotEmpty(accepted);
        Assert.All(outcomes, o => Assert.Equal("This thread is closed: Race over", o.Refusal));
        Assert.All(events.Where(e => e.Type == ThreadEventTypes.ReplyPosted), e => Assert.True(e.Seq < closeSeq));
        Assert.Equal(accepted, events.Where(e => e.ReplyId is not null).Select(e => e.ReplyId!.Value).ToHashSet());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(accepted.Count, (await threads.GetAsync(thread.Id)).ReplyCount);
    }
}
