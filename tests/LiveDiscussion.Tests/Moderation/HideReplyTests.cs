using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;

namespace LiveDiscussion.Tests.Moderation;

public sealed class HideReplyTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task A_hidden_reply_shows_its_reason_to_readers_and_its_text_only_to_its_author_and_moderators_until_restored()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        using var anonymous = app.Anonymous();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "a heated remark");

        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/replies/{reply.Id}/hide", new HideReplyRequest("Please keep it civil"))).StatusCode);

        foreach (var other in new[] { reader, anonymous })
        {
            var seen = (await other.GetThreadAsync(thread.Id)).Replies.Single();
            Assert.Equal((ReplyState.Hidden, "Please keep it civil", "", ""), (seen.State, seen.HiddenReason, seen.Body, seen.BodyHtml));
        }

        foreach (var privileged in new[] { author, admin })
        {
            var seen = (await privileged.GetThreadAsync(thread.Id)).Replies.Single();
            Assert.Equal((ReplyState.Hidden, "a heated remark"), (seen.State, seen.Body));
        }

        Assert.Equal(0, (await reader.GetThreadAsync(thread.Id)).ReplyCount);
        await (await admin.PostAsJsonAsync($"/api/replies/{reply.Id}/hide", new HideReplyRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "Only a visible reply can be hidden.");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/replies/{reply.Id}/restore", null)).StatusCode);
        var restored = (await anonymous.GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal((ReplyState.Visible, "a heated remark", (string?)null), (restored.State, restored.Body, restored.HiddenReason));
        Assert.Equal(
            [ThreadEventTypes.ReplyPosted, ThreadEventTypes.ReplyHidden, ThreadEventTypes.ReplyRestored],
            (await anonymous.EventsAfterAsync(thread.Id, 0)).Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Members_cannot_hide_or_restore_and_nothing_changes()
    {
        using var author = await app.MemberAsync();
        using var other = await app.MemberAsync();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "fine words");

        await (await other.PostAsJsonAsync($"/api/replies/{reply.Id}/hide", new HideReplyRequest("I disagree")))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can hide replies.");
        await (await author.PostAsync($"/api/replies/{reply.Id}/restore", null))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can restore replies.");
        await (await other.PostAsJsonAsync($"/api/replies/{reply.Id}/hide", new HideReplyRequest(new string('r', 501))))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "at most 500 characters");

        var detail = await author.GetThreadAsync(thread.Id);
        Assert.Equal(ReplyState.Visible, detail.Replies.Single().State);
        Assert.Equal(1, detail.LatestSeq);
    }
}
