using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Events;

public sealed class EventsApiTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Asking_again_for_the_same_catch_up_after_more_happened_includes_it_and_the_latest_text()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "first");
        var crowd = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => member.EventsAfterAsync(thread.Id, 0)));
        Assert.All(crowd, catchUp => Assert.Equal([1L], catchUp.Events.Select(e => e.Seq)));

        await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("first, edited"));
        var later = await member.EventsAfterAsync(thread.Id, 0);

        Assert.Equal(2, later.LatestSeq);
        Assert.Equal([1L, 2], later.Events.Select(e => e.Seq));
        Assert.All(later.Events, e => Assert.Equal("first, edited", e.Reply!.Body));
    }

    [Fact]
    public async Task Every_change_is_an_event_numbered_from_one_without_gaps()
    {
        using var member = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "first");
        await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("first, edited"));
        await member.DeleteAsync($"/api/replies/{reply.Id}");
        await admin.PostAsJsonAsync($"/api/threads/{thread.Id}/close", new CloseThreadRequest("Done"));
        await admin.PostAsync($"/api/threads/{thread.Id}/reopen", null);

        var catchUp = await member.EventsAfterAsync(thread.Id, 0);

        Assert.False(catchUp.Truncated);
        Assert.Equal(5, catchUp.LatestSeq);
        Assert.Equal([1L, 2, 3, 4, 5], catchUp.Events.Select(e => e.Seq));
        Assert.Equal(
            [ThreadEventTypes.ReplyPosted, ThreadEventTypes.ReplyEdited, ThreadEventTypes.ReplyDeleted, ThreadEventTypes.ThreadClosed, ThreadEventTypes.ThreadReopened],
            catchUp.Events.Select(e => e.Type));
        Assert.All(catchUp.Events.Take(3), e => Assert.Equal(reply.Id, e.Reply!.Id));
        Assert.Equal("Done", catchUp.Events[3].Reason);
        Assert.Equal("Admin", catchUp.Events[3].Actor);
        Assert.All(catchUp.Events, e => Assert.Equal(thread.Id, e.ThreadId));
    }

    [Fact]
    public async Task The_log_serves_replies_as_they_are_now_so_deleted_text_is_never_served_again()
    {
        using var member = await app.MemberAsync();
        using var reader = app.Anonymous();
        var thread = await member.StartThreadAsync();
        var reply = await member.ReplyAsync(thread.Id, "my phone number is 555-1234");
        await member.PutAsJsonAsync($"/api/replies/{reply.Id}", new EditReplyRequest("call me at 555-1234"));
        Assert.Equal("call me at 555-1234", (await reader.EventsAfterAsync(thread.Id, 0)).Events[0].Reply!.Body);

        await member.DeleteAsync($"/api/replies/{reply.Id}");

        var events = (await reader.EventsAfterAsync(thread.Id, 0)).Events;
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(ReplyState.Deleted, e.Reply!.State));
        Assert.All(events, e => Assert.DoesNotContain("555", e.Reply!.Body + e.Reply.BodyHtml));
    }

    [Fact]
    public async Task A_viewer_gets_exactly_the_events_after_its_last_seq()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        for (var i = 1; i <= 5; i++)
        {
            await member.ReplyAsync(thread.Id, $"reply {i}");
        }

        var catchUp = await member.EventsAfterAsync(thread.Id, 3);

        Assert.Equal([4L, 5], catchUp.Events.Select(e => e.Seq));
        Assert.Equal(["reply 4", "reply 5"], catchUp.Events.Select(e => e.Reply!.Body));
        Assert.Empty((await member.EventsAfterAsync(thread.Id, 5)).Events);
    }

    [Fact]
    public async Task More_than_500_missed_events_are_truncated_so_the_viewer_reloads()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            for (var i = 0; i < 126; i++)
            {
                await member.ReplyAsync(thread.Id, $"reply {worker}.{i}");
            }
        }));

        var fromStart = await member.EventsAfterAsync(thread.Id, 0);
        var recent = await member.EventsAfterAsync(thread.Id, 4);

        Assert.True(fromStart.Truncated);
        Assert.Empty(fromStart.Events);
        Assert.Equal(504, fromStart.LatestSeq);
        Assert.False(recent.Truncated);
        Assert.Equal(Enumerable.Range(5, 500).Select(i => (long)i), recent.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_negative_seq_is_400()
    {
        using var member = await app.MemberAsync();
        var thread = await member.StartThreadAsync();

        await (await member.GetAsync($"/api/threads/{thread.Id}/events?after=-1"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "'after' must be a seq");
    }
}
