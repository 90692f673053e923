using System.Net;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Infrastructure;

namespace LiveDiscussion.Tests.Api;

/// <summary>
/// Replies sent at the same moment are written together (group commit); each poster must still get exactly what they
/// would have got alone.
/// </summary>
public sealed class SimultaneousRepliesTests : IDisposable
{
    private readonly TestApp _app = new(seedDemo: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Replies_sent_at_once_are_each_stored_once_and_a_refused_one_fails_alone()
    {
        using var julia = await _app.MemberAsync("julia");
        using var louise = await _app.MemberAsync("louise");
        var thread = await julia.StartThreadAsync();
        var parent = await julia.ReplyAsync(thread.Id, "The first answer");

        var sends = Enumerable.Range(0, 40).Select(i => (i % 10 == 3 ? louise : julia).PostReplyAsync(
            thread.Id, $"Reply {i}", parentReplyId: i % 10 == 3 ? 999_999 : i % 2 == 0 ? parent.Id : null)).ToList();
        var responses = await Task.WhenAll(sends);

        for (var i = 0; i < responses.Length; i++)
        {
            if (i % 10 == 3)
            {
                await responses[i].ShouldBeProblemAsync(HttpStatusCode.BadRequest, "The reply you are answering is not in this thread.");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Created, responses[i].StatusCode);
                Assert.Equal($"Reply {i}", (await responses[i].ReadAsync<ReplyDto>()).Body);
            }
        }

        var detail = await julia.GetThreadAsync(thread.Id);
        var expected = Enumerable.Range(0, 40).Where(i => i % 10 != 3).Select(i => $"Reply {i}").Append("The first answer");
        Assert.Equal(expected.Order(), detail.Replies.Select(r => r.Body).Order());
        Assert.Equal(37, detail.LatestSeq);

        var events = await julia.EventsAfterAsync(thread.Id, 0);
        Assert.Equal(Enumerable.Range(1, 37).Select(i => (long)i), events.Events.Select(e => e.Seq));
        Assert.Equal(detail.Replies.Select(r => r.Id).Order(), events.Events.Select(e => e.Reply!.Id).Order());
    }

    [Fact]
    public async Task The_same_send_arriving_several_times_at_once_stores_one_reply()
    {
        using var member = await _app.MemberAsync();
        var thread = await member.StartThreadAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => member.PostReplyAsync(thread.Id, "Said once", clientRequestId: "composer-42")));

        var replies = await Task.WhenAll(responses.Select(r => r.ReadAsync<ReplyDto>()));
        Assert.Single(replies.Select(r => r.Id).Distinct());
        var detail = await member.GetThreadAsync(thread.Id);
        Assert.Equal("Said once", Assert.Single(detail.Replies).Body);
        Assert.Equal(1, detail.LatestSeq);
    }
}
