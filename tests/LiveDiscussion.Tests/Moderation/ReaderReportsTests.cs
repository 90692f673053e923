using System.Net;
using System.Net.Http.Json;
using LiveDiscussion.Contracts;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Tests.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Moderation;

public sealed class ReaderReportsTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Reports_reach_the_moderators_grouped_by_reply_and_a_repeat_changes_nothing()
    {
        using var author = await app.MemberAsync();
        using var first = await app.MemberAsync();
        using var second = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "buy cheap watches");

        var created = await Flag(first, reply.Id, "spam", "  a link farm  ");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var report = await created.ReadAsync<ReplyFlagDto>();
        Assert.Equal((reply.Id, "spam", "a link farm", (DateTimeOffset?)null), (report.ReplyId, report.Reason, report.Note, report.ReviewedAt));

        var repeat = await Flag(first, reply.Id, "abuse", "changed my mind");
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(report, await repeat.ReadAsync<ReplyFlagDto>());
        Assert.Equal(HttpStatusCode.Created, (await Flag(second, reply.Id, "off-topic")).StatusCode);

        var listed = Assert.Single(await OpenReportsAsync(admin), r => r.Reply.Id == reply.Id);
        Assert.Equal((2, false, "buy cheap watches", thread.Title), (listed.Count, listed.AutoHidden, listed.Reply.Body, listed.ThreadTitle));
        Assert.Equal([new ReasonCountDto("off-topic", 1), new ReasonCountDto("spam", 1)], listed.Reasons);
        Assert.Equal([("spam", "a link farm"), ("off-topic", (string?)null)], listed.Reports.Select(r => (r.Reason, r.Note)));
        Assert.All(listed.Reports, r => Assert.StartsWith("member-", r.Reporter.Name));
        Assert.Equal(ReplyState.Visible, (await app.Anonymous().GetThreadAsync(thread.Id)).Replies.Single().State);

        await (await first.GetAsync("/api/moderation/flags")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can see reports.");
        await (await first.DeleteAsync($"/api/moderation/flags/{reply.Id}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "Only moderators can review reports.");
    }

    [Fact]
    public async Task Refused_reports_say_why_and_store_nothing()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var newcomer = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        using var anonymous = app.Anonymous();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "a fair point");
        var deleted = await author.ReplyAsync(thread.Id, "taken back");
        (await author.DeleteAsync($"/api/replies/{deleted.Id}")).EnsureSuccessStatusCode();
        var hidden = await author.ReplyAsync(thread.Id, "hidden already");
        (await admin.PostAsJsonAsync($"/api/replies/{hidden.Id}/hide", new HideReplyRequest("no"))).EnsureSuccessStatusCode();
        var heldThread = await admin.StartThreadAsync();
        (await admin.PutAsJsonAsync($"/api/threads/{heldThread.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();
        var held = await newcomer.ReplyAsync(heldThread.Id, "waiting for approval");
        Assert.Equal(ReplyState.Pending, held.State);

        await (await Flag(anonymous, reply.Id, "spam")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "Sign in to report replies.");
        await (await Flag(author, reply.Id, "spam")).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "You cannot report your own reply.");
        var badReason = await (await Flag(reader, reply.Id, "boring")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "spam, abuse, off-topic, other");
        Assert.True(badReason.GetProperty("errors").TryGetProperty("reason", out _));
        await (await Flag(reader, reply.Id, null)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Say why you report it");
        var longNote = await (await Flag(reader, reply.Id, "other", new string('n', 501)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "A note can be at most 500 characters.");
        Assert.True(longNote.GetProperty("errors").TryGetProperty("note", out _));
        await (await Flag(reader, 987_654_321, "spam")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Reply not found");
        await (await Flag(reader, held.Id, "spam")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "Reply not found");
        await (await Flag(reader, deleted.Id, "spam")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "This reply was deleted.");
        await (await Flag(reader, hidden.Id, "spam")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "This reply is already hidden.");

        long[] mine = [reply.Id, deleted.Id, hidden.Id, held.Id];
        Assert.DoesNotContain(await OpenReportsAsync(admin), r => mine.Contains(r.Reply.Id));
        await (await admin.DeleteAsync($"/api/moderation/flags/{reply.Id}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "This reply has no open reports.");
        // The first report the reader may make is a new one: nothing above was stored as theirs.
        Assert.Equal(HttpStatusCode.Created, (await Flag(reader, reply.Id, "other")).StatusCode);
    }

    [Fact]
    public async Task Three_members_reports_hide_the_reply_live_until_a_moderator_dismisses_them_and_it_shows_again()
    {
        using var author = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "a pile-on target");
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.FollowAsync(thread.Id);

        var reporters = new List<HttpClient>();
        for (var i = 0; i < 3; i++)
        {
            reporters.Add(await app.MemberAsync());
        }

        await Flag(reporters[0], reply.Id, "abuse");
        await Flag(reporters[0], reply.Id, "abuse");
        await Flag(reporters[1], reply.Id, "abuse");
        Assert.Equal(ReplyState.Visible, (await app.Anonymous().GetThreadAsync(thread.Id)).Replies.Single().State);
        Assert.Equal(HttpStatusCode.Created, (await Flag(reporters[2], reply.Id, "spam")).StatusCode);

        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Type == ThreadEventTypes.ReplyHidden), "the reply-hidden event");
        var hiddenEvent = watcher.Events.Single(e => e.Type == ThreadEventTypes.ReplyHidden);
        Assert.Equal((FlagReasons.AutoHiddenReason, (string?)null, FlagReasons.AutoHiddenReason, ""),
            (hiddenEvent.Reason, hiddenEvent.Actor, hiddenEvent.Reply!.HiddenReason, hiddenEvent.Reply.Body));
        var seen = (await app.Anonymous().GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal((ReplyState.Hidden, "Hidden after reports from readers", ""), (seen.State, seen.HiddenReason, seen.Body));
        var listed = Assert.Single(await OpenReportsAsync(admin), r => r.Reply.Id == reply.Id);
        Assert.Equal((3, true, "a pile-on target"), (listed.Count, listed.AutoHidden, listed.Reply.Body));
        using (var late = await app.MemberAsync())
        {
            await (await Flag(late, reply.Id, "spam")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "This reply is already hidden.");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/moderation/flags/{reply.Id}")).StatusCode);

        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Type == ThreadEventTypes.ReplyRestored), "the reply-restored event");
        Assert.Equal([1L, 2, 3], watcher.Applied);
        var restored = (await app.Anonymous().GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal((ReplyState.Visible, "a pile-on target"), (restored.State, restored.Body));
        Assert.DoesNotContain(await OpenReportsAsync(admin), r => r.Reply.Id == reply.Id);
        var audit = await (await admin.GetAsync($"/api/moderation/audit?threadId={thread.Id}")).ReadAsync<List<AuditEntryDto>>();
        Assert.Equal(["restore-reply", "dismiss-reports"], audit.Select(a => a.Action));
        Assert.Equal("3 reports; the reply is shown again", audit[1].Reason);
        // Reviewed: the same members reporting again change nothing, so the pile-on cannot hide it again.
        var again = await (await Flag(reporters[2], reply.Id, "spam")).ReadAsync<ReplyFlagDto>();
        Assert.NotNull(again.ReviewedAt);
        Assert.Equal(ReplyState.Visible, (await app.Anonymous().GetThreadAsync(thread.Id)).Replies.Single().State);
        await (await admin.DeleteAsync($"/api/moderation/flags/{reply.Id}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "This reply has no open reports.");
        foreach (var reporter in reporters)
        {
            reporter.Dispose();
        }
    }

    [Fact]
    public async Task A_moderator_hides_a_reported_reply_and_its_reports_close_whichever_way_it_is_hidden()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await author.StartThreadAsync();
        var fromReports = await author.ReplyAsync(thread.Id, "hide me from the queue");
        var fromThread = await author.ReplyAsync(thread.Id, "hide me from the thread");
        await Flag(reader, fromReports.Id, "abuse", "rude");
        await Flag(reader, fromThread.Id, "abuse");

        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/moderation/flags/{fromReports.Id}/hide", new HideReplyRequest("Be kind"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/replies/{fromThread.Id}/hide", new HideReplyRequest(null))).StatusCode);

        var replies = (await app.Anonymous().GetThreadAsync(thread.Id)).Replies;
        Assert.Equal([(ReplyState.Hidden, "Be kind"), (ReplyState.Hidden, (string?)null)], replies.Select(r => (r.State, r.HiddenReason)));
        Assert.DoesNotContain(await OpenReportsAsync(admin), r => r.Reply.ThreadId == thread.Id);
        var audit = await (await admin.GetAsync($"/api/moderation/audit?threadId={thread.Id}")).ReadAsync<List<AuditEntryDto>>();
        Assert.Equal([("hide-reply", fromThread.Id), ("hide-reply", fromReports.Id)], audit.Select(a => (a.Action, a.ReplyId!.Value)));
        Assert.Equal("Be kind (1 report)", audit[1].Reason);
        await (await admin.PostAsJsonAsync($"/api/moderation/flags/{fromReports.Id}/hide", new HideReplyRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "Only a visible reply can be hidden.");
    }

    [Fact]
    public async Task FlagReply_on_the_hub_reports_as_the_API_does_and_refuses_with_the_same_words()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await author.StartThreadAsync();
        var reply = await author.ReplyAsync(thread.Id, "said over the hub");
        await using var readerHub = await HubWatcher.ConnectAsync(app, reader);
        await using var authorHub = await HubWatcher.ConnectAsync(app, author, messagePack: true);
        await using var anonymousHub = await HubWatcher.ConnectAsync(app);

        var report = await readerHub.Connection.InvokeAsync<ReplyFlagDto>(DiscussionHubContract.FlagReply, reply.Id, "off-topic", "wrong thread");
        var repeat = await readerHub.Connection.InvokeAsync<ReplyFlagDto>(DiscussionHubContract.FlagReply, reply.Id, "spam", null);

        Assert.Equal((reply.Id, "off-topic", "wrong thread"), (report.ReplyId, report.Reason, report.Note));
        Assert.Equal(report, repeat);
        var listed = Assert.Single(await OpenReportsAsync(admin), r => r.Reply.Id == reply.Id);
        Assert.Equal(1, listed.Count);
        Assert.Contains("You cannot report your own reply.", (await Assert.ThrowsAsync<HubException>(() =>
            authorHub.Connection.InvokeAsync<ReplyFlagDto>(DiscussionHubContract.FlagReply, reply.Id, "spam", null))).Message);
        Assert.Contains("Sign in to report replies.", (await Assert.ThrowsAsync<HubException>(() =>
            anonymousHub.Connection.InvokeAsync<ReplyFlagDto>(DiscussionHubContract.FlagReply, reply.Id, "spam", null))).Message);
        Assert.Contains("'reason' is one of", (await Assert.ThrowsAsync<HubException>(() =>
            authorHub.Connection.InvokeAsync<ReplyFlagDto>(DiscussionHubContract.FlagReply, reply.Id, "meh", null))).Message);
    }

    private static Task<HttpResponseMessage> Flag(HttpClient client, long replyId, string? reason, string? note = null) =>
        client.PostAsJsonAsync($"/api/replies/{replyId}/flags", new FlagReplyRequest(reason, note), Api.Json);

    private static async Task<List<ReportedReplyDto>> OpenReportsAsync(HttpClient moderator) =>
        await (await moderator.GetAsync("/api/moderation/flags")).ReadAsync<List<ReportedReplyDto>>();
}
