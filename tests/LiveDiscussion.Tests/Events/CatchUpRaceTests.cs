using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;

namespace LiveDiscussion.Tests.Events;

/// <summary>A crowd of viewers catching up at once, as after a node restart, while replies keep being stored.</summary>
public sealed class CatchUpRaceTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Every_catch_up_asked_after_a_reply_is_stored_includes_it_however_many_viewers_ask_at_once()
    {
        var member = await app.PrincipalAsync("Writer");
        var thread = await app.Service<ThreadService>().StartAsync(member, new CreateThreadRequest("Crowded", "Everyone is back"));
        var replies = app.Service<ReplyService>();
        var events = app.Service<ThreadEventLog>();

        for (var round = 1; round <= 100; round++)
        {
            await replies.PostAsync(member, new PostReplyRequest(thread.Id, null, $"reply {round}"));
            using var start = new Barrier(Environment.ProcessorCount * 4);
            var catchUps = await Task.WhenAll(Enumerable.Range(0, start.ParticipantCount).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return events.GetAfterAsync(thread.Id, round - 1);
            })));

            Assert.All(catchUps, catchUp =>
            {
                Assert.Equal(round, catchUp.LatestSeq);
                Assert.Equal([(long)round], catchUp.Events.Select(e => e.Seq));
            });
        }
    }
}
