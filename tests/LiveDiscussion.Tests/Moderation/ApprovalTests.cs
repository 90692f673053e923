using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.Tests.Spam;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Moderation;

public sealed class ApprovalTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_held_reply_is_seen_only_by_its_author_and_moderators_until_approval_publishes_it_live()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        var authorId = (await author.ReplyAsync(thread.Id, "published before the hold")).Author.UserId;
        (await admin.PutAsJsonAsync($"/api/users/{authorId}/hold", new HoldRepliesRequest(true))).EnsureSuccessStatusCode();
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.WatchAsync(thread.Id, afterSeq: 1);

        var held = await author.ReplyAsync(thread.Id, "wait for it");

        Assert.Equal(ReplyState.Pending, held.State);
        Assert.Equal("wait for it", held.Body);
        Assert.Equal(ReplyState.Pending, (await author.GetThreadAsync(thread.Id)).Replies.Single(r => r.Id == held.Id).State);
        Assert.DoesNotContain((await reader.GetThreadAsync(thread.Id)).Replies, r => r.Id == held.Id);
        Assert.Equal(1, (await reader.GetThreadAsync(thread.Id)).ReplyCount);
        Assert.Equal(1, (await reader.GetThreadAsync(thread.Id)).LatestSeq);
        // The queue is the whole site's, and other tests hold replies on this app too: the part for this thread.
        var queue = await QueueOfAsync(admin, thread.Id);
        Assert.Equal(held.Id, Assert.Single(queue).Reply.Id);
        await (await reader.GetAsync("/api/moderation/queue")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/replies/{held.Id}/approve", null)).StatusCode);
        await (await admin.PostAsync($"/api/replies/{held.Id}/approve", null))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "no longer waiting for approval");

        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == held.Id), "the approved reply to arrive");
        var published = watcher.Events.Single(e => e.Reply?.Id == held.Id);
        Assert.Equal((ThreadEventTypes.ReplyPosted, 2L, "wait for it"), (published.Type, published.Seq, published.Reply!.Body));
        Assert.Equal(ReplyState.Visible, (await reader.GetThreadAsync(thread.Id)).Replies.Single(r => r.Id == held.Id).State);
        Assert.Empty(await QueueOfAsync(admin, thread.Id));
    }

    [Fact]
    public async Task A_rejected_reply_tells_its_author_why_and_nobody_else_ever_sees_it()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync();
        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();

        var held = await author.ReplyAsync(thread.Id, "spammy link");
        Assert.Equal(ReplyState.Pending, held.State);
        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/replies/{held.Id}/reject", new RejectReplyRequest("Links to shops are not allowed"))).StatusCode);
        await (await admin.PostAsync($"/api/replies/{held.Id}/approve", null))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "no longer waiting for approval");

        var seenByAuthor = (await author.GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal((ReplyState.Rejected, "Links to shops are not allowed", "spammy link"),
            (seenByAuthor.State, seenByAuthor.HiddenReason, seenByAuthor.Body));
        Assert.Empty((await reader.GetThreadAsync(thread.Id)).Replies);
        var rejected = (await reader.EventsAfterAsync(thread.Id, 0)).Events.Single();
        Assert.Equal((ThreadEventTypes.ReplyRejected, "", (string?)null), (rejected.Type, rejected.Reply!.Body, rejected.Reply.HiddenReason));
    }

    [Fact]
    public async Task With_the_site_wide_setting_a_new_members_first_replies_wait_and_later_ones_do_not()
    {
        // An app of its own: the site-wide setting would hold the new members' replies of every other test.
        using var ownApp = new TestApp(seedDemo: false);
        using var newcomer = await ownApp.MemberAsync();
        using var admin = await ownApp.AdminAsync();
        var thread = await admin.StartThreadAsync();
        (await admin.PutAsJsonAsync("/api/moderation/settings", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();
        Assert.True((await (await admin.GetAsync("/api/moderation/settings")).ReadAsync<ApprovalSettingsDto>()).HoldNewMembersReplies);

        string? newcomerId = null;
        for (var i = 0; i < 3; i++)
        {
            var reply = await newcomer.ReplyAsync(thread.Id, $"early {i}");
            Assert.Equal(ReplyState.Pending, reply.State);
            newcomerId = reply.Author.UserId;
            (await admin.PostAsync($"/api/replies/{reply.Id}/approve", null)).EnsureSuccessStatusCode();
        }

        // A new member is one whose account is under a day old or who has fewer than three published replies.
        Assert.Equal(ReplyState.Pending, (await newcomer.ReplyAsync(thread.Id, "still on my first day")).State);
        await ownApp.MakeOlderAsync(newcomerId!, TimeSpan.FromHours(25));
        Assert.Equal(ReplyState.Visible, (await newcomer.ReplyAsync(thread.Id, "trusted now")).State);
        Assert.Equal(ReplyState.Visible, (await admin.ReplyAsync(thread.Id, "moderators are never held")).State);
        await (await newcomer.PutAsJsonAsync("/api/moderation/settings", new ApprovalSettingsDto(false)))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators");
    }

    private static async Task<List<HeldReplyDto>> QueueOfAsync(HttpClient moderator, long threadId) =>
        [.. (await (await moderator.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>()).Where(h => h.Reply.ThreadId == threadId)];
}
