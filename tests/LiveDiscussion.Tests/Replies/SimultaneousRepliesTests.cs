using System.Net;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Replies;

/// <summary>
/// Replies sent at the same moment are written together (group commit); each poster must still get exactly what they
/// would have got alone.
/// </summary>
public sealed class SimultaneousRepliesTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Replies_sent_at_once_are_each_stored_once_and_a_refused_one_fails_alone()
    {
        using var julia = await app.MemberAsync("julia");
        using var louise = await app.MemberAsync("louise");
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
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => member.PostReplyAsync(thread.Id, "Said once", clientRequestId: "composer-42")));

        var replies = await Task.WhenAll(responses.Select(r => r.ReadAsync<ReplyDto>()));
        Assert.Single(replies.Select(r => r.Id).Distinct());
        var detail = await member.GetThreadAsync(thread.Id);
        Assert.Equal("Said once", Assert.Single(detail.Replies).Body);
        Assert.Equal(1, detail.LatestSeq);
    }

    [Fact]
    public async Task Retries_from_several_people_at_once_each_get_their_own_first_reply_back()
    {
        using var julia = await app.MemberAsync("julia");
        using var louise = await app.MemberAsync("louise");
        var thread = await julia.StartThreadAsync();
        var otherThread = await julia.StartThreadAsync();
        var first = new Dictionary<(HttpClient, string), ReplyDto>();
        foreach (var person in new[] { julia, louise })
        {
            // The same clientRequestIds for both: a send is known by its author and its id together.
            for (var n = 1; n <= 3; n++)
            {
                var response = await person.PostReplyAsync(thread.Id, $"Once {n}", clientRequestId: $"send-{n}");
                first[(person, $"send-{n}")] = await response.ReadAsync<ReplyDto>();
            }
        }

        var usedElsewhere = await (await louise.PostReplyAsync(otherThread.Id, "Elsewhere", clientRequestId: "elsewhere"))
            .ReadAsync<ReplyDto>();

        var sends = new[] { julia, louise }
            .SelectMany(person => Enumerable.Range(1, 6).Select(n => (Person: person, RequestId: $"send-{n}",
                Response: person.PostReplyAsync(thread.Id, $"Again {n}", clientRequestId: $"send-{n}"))))
            .ToList();
        var misplaced = louise.PostReplyAsync(thread.Id, "Wrong thread", clientRequestId: "elsewhere");
        await Task.WhenAll(sends.Select(send => send.Response).Append(misplaced));

        foreach (var send in sends)
        {
            var reply = await (await send.Response).ReadAsync<ReplyDto>();
            if (first.TryGetValue((send.Person, send.RequestId), out var original))
            {
                Assert.Equal(original, reply);
            }
            else
            {
                Assert.Equal($"Again {send.RequestId[^1]}", reply.Body);
            }
        }

        await (await misplaced).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "already used for a reply in another thread");
        var detail = await julia.GetThreadAsync(thread.Id);
        Assert.Equal(12, detail.Replies.Count);
        Assert.Equal(6, detail.Replies.Count(r => r.Body.StartsWith("Once ")));
        Assert.Equal(12, detail.LatestSeq);
        Assert.Equal("Elsewhere", Assert.Single((await julia.GetThreadAsync(otherThread.Id)).Replies).Body);
        Assert.Equal(usedElsewhere.Id, (await julia.GetThreadAsync(otherThread.Id)).Replies.Single().Id);
    }
}
