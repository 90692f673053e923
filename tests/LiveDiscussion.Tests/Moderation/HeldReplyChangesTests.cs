using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Moderation;

/// <summary>
/// A reply waiting for a moderator, or turned down, exists only for its author and the moderators: changing it tells
/// nobody else anything, and nobody else can learn from a refusal that it exists.
/// </summary>
public sealed class HeldReplyChangesTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Editing_and_deleting_a_held_reply_send_watchers_nothing_and_the_moderators_queue_shows_the_new_words()
    {
        using var author = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.WatchAsync(thread.Id);
        var held = await author.ReplyAsync(thread.Id, "first draft of a held reply");
        var other = await author.ReplyAsync(thread.Id, "a second held reply");

        var edited = await (await author.PutAsJsonAsync($"/api/replies/{held.Id}", new EditReplyRequest("second draft, still held")))
            .ReadAsync<ReplyDto>();
        Assert.Equal((ReplyState.Pending, "second draft, still held"), (edited.State, edited.Body));
        var queued = (await (await admin.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>())
            .Single(h => h.Reply.Id == held.Id);
        Assert.Equal("second draft, still held", queued.Reply.Body);
        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync($"/api/replies/{other.Id}")).StatusCode);
        var published = await admin.ReplyAsync(thread.Id, "a moderator's reply, published at once");

        // The published reply is the thread's first event: the held replies' edit and deletion made none.
        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == published.Id), "the published reply to arrive");
        Assert.Equal(1L, Assert.Single(watcher.Events).Seq);
        Assert.Equal([published.Id], (await author.EventsAfterAsync(thread.Id, 0)).Events.Select(e => e.Reply!.Id));
        Assert.DoesNotContain((await (await admin.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>()),
            h => h.Reply.Id == other.Id);
    }

    [Fact]
    public async Task Someone_else_changing_a_held_reply_is_told_it_is_not_found_on_the_api_and_the_hub()
    {
        using var author = await app.MemberAsync();
        using var stranger = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        var authorId = (await author.ReplyAsync(thread.Id, "published before the hold")).Author.UserId;
        (await admin.PutAsJsonAsync($"/api/users/{authorId}/hold", new HoldRepliesRequest(true))).EnsureSuccessStatusCode();
        var held = await author.ReplyAsync(thread.Id, "nobody else knows of me");

        await (await stranger.PutAsJsonAsync($"/api/replies/{held.Id}", new EditReplyRequest("taken over")))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "Reply not found");
        await (await stranger.DeleteAsync($"/api/replies/{held.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Reply not found");
        await using var strangersHub = await HubWatcher.ConnectAsync(app, stranger);
        var refusal = await Assert.ThrowsAsync<HubException>(
            () => strangersHub.Connection.InvokeAsync(DiscussionHubContract.DeleteReply, held.Id));
        Assert.Contains("Reply not found", refusal.Message);

        var unchanged = (await author.GetThreadAsync(thread.Id)).Replies.Single(r => r.Id == held.Id);
        Assert.Equal((ReplyState.Pending, "nobody else knows of me"), (unchanged.State, unchanged.Body));
    }

    [Fact]
    public async Task A_turned_down_reply_cannot_be_edited_and_its_deletion_tells_nobody()
    {
        using var author = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();
        var held = await author.ReplyAsync(thread.Id, "not for this thread");
        (await admin.PostAsJsonAsync($"/api/replies/{held.Id}/reject", new RejectReplyRequest("Off topic"))).EnsureSuccessStatusCode();
        var seqAfterRejection = (await admin.GetThreadAsync(thread.Id)).LatestSeq;

        await (await author.PutAsJsonAsync($"/api/replies/{held.Id}", new EditReplyRequest("but please")))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "did not approve cannot be edited");
        Assert.Equal(HttpStatusCode.NoContent, (await author.DeleteAsync($"/api/replies/{held.Id}")).StatusCode);

        Assert.Equal(seqAfterRejection, (await admin.GetThreadAsync(thread.Id)).LatestSeq);
        Assert.Equal(ReplyState.Deleted, (await author.GetThreadAsync(thread.Id)).Replies.Single(r => r.Id == held.Id).State);
    }
}
