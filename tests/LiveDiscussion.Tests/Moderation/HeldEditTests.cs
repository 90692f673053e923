using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Pages;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Replies;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveDiscussion.Tests.Moderation;

/// <summary>
/// An edit of a published reply is judged as a new reply with that text would be: when it would be held, it waits for a
/// moderator and everyone else keeps reading the published words, on every surface, until it is approved.
/// </summary>
public sealed class HeldEditTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    // Each test's own words (xunit makes an instance per test): the same text in three threads would be held as a repeat.
    private readonly string Published = $"The published words, as everyone read them. {Guid.NewGuid():N}";

    [Fact]
    public async Task A_held_members_edit_waits_for_a_moderator_while_everyone_else_still_reads_the_published_words()
    {
        using var author = await app.MemberAsync("edits-into-spam");
        using var reader = await app.MemberAsync();
        using var anonymous = app.Anonymous();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("An edit that waits");
        var reply = await author.ReplyAsync(thread.Id, Published);
        await HoldAllRepliesOfAsync(admin, reply.Author.UserId!);
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.WatchAsync(thread.Id, afterSeq: 1);

        var proposed = await EditAsync(author, reply.Id, "Buy cheap watches at https://shop.example now");

        // The author is told the edit waits, and still reads the published words in its place.
        Assert.Equal((ReplyState.Visible, Published, (DateTimeOffset?)null), (proposed.State, proposed.Body, proposed.EditedAt));
        Assert.Equal("Buy cheap watches at https://shop.example now", proposed.PendingEdit?.Body);
        Assert.Contains("https://shop.example", proposed.PendingEdit!.BodyHtml);
        Assert.Equal(proposed.PendingEdit, (await author.GetThreadAsync(thread.Id)).Replies.Single().PendingEdit);

        // A second edit while the first waits takes its place; over the hub, the author gets the same view.
        await using var authorsHub = await HubWatcher.ConnectAsync(app, author);
        var replaced = await authorsHub.Connection.InvokeAsync<ReplyDto>(
            DiscussionHubContract.EditReply, reply.Id, "Cheap watches, best prices: https://shop.example/deal");
        Assert.Equal((Published, "Cheap watches, best prices: https://shop.example/deal"), (replaced.Body, replaced.PendingEdit?.Body));

        foreach (var someoneElse in new[] { reader, anonymous })
        {
            var seen = (await someoneElse.GetThreadAsync(thread.Id)).Replies.Single();
            Assert.Equal((Published, (DateTimeOffset?)null, (PendingEditDto?)null), (seen.Body, seen.EditedAt, seen.PendingEdit));
            var paged = await (await someoneElse.GetAsync($"/api/threads/{thread.Id}/replies?limit=10")).ReadAsync<RepliesPageDto>();
            Assert.Equal(Published, paged.Replies.Single().Body);
            var export = await someoneElse.GetStringAsync($"/api/threads/{thread.Id}/export");
            Assert.Contains("The published words", export);
            Assert.DoesNotContain("watches", export);
        }

        // No event: the thread's log, its catch-up and its watchers know only the reply as posted.
        var marker = await admin.ReplyAsync(thread.Id, "a moderator's reply, published at once");
        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == marker.Id), "the moderator's reply to arrive");
        Assert.Equal([(2L, ThreadEventTypes.ReplyPosted)], watcher.Events.Select(e => (e.Seq, e.Type)));
        var log = (await reader.EventsAfterAsync(thread.Id, 0)).Events;
        Assert.Equal([ThreadEventTypes.ReplyPosted, ThreadEventTypes.ReplyPosted], log.Select(e => e.Type));
        Assert.Equal(Published, log[0].Reply!.Body);
        Assert.Null(log[0].Reply!.PendingEdit);

        // The moderators' queue lists the edit once, with the words it would publish and why it waits.
        var queued = Assert.Single(await QueueOfAsync(admin, thread.Id));
        Assert.Equal(reply.Id, queued.Reply.Id);
        Assert.Equal("an edit of a published reply (the author's replies are all held)", queued.HeldReason);
        Assert.Equal((Published, "Cheap watches, best prices: https://shop.example/deal"), (queued.Reply.Body, queued.Reply.PendingEdit?.Body));
    }

    [Fact]
    public async Task Approving_a_waiting_edit_publishes_it_to_everyone_as_an_edit()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("An edit approved");
        var reply = await author.ReplyAsync(thread.Id, Published);
        await HoldAllRepliesOfAsync(admin, reply.Author.UserId!);
        await EditAsync(author, reply.Id, "Corrected words, looked at by a moderator.");
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.WatchAsync(thread.Id, afterSeq: 1);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/replies/{reply.Id}/approve", null)).StatusCode);
        await (await admin.PostAsync($"/api/replies/{reply.Id}/approve", null))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "no longer waiting for approval");

        await HubWatcher.EventuallyAsync(() => watcher.Events.Any(e => e.Reply?.Id == reply.Id), "the approved edit to arrive");
        var edited = Assert.Single(watcher.Events);
        Assert.Equal((ThreadEventTypes.ReplyEdited, 2L, "Corrected words, looked at by a moderator."),
            (edited.Type, edited.Seq, edited.Reply!.Body));
        Assert.Equal(ThreadEventTypes.ReplyEdited, (await reader.EventsAfterAsync(thread.Id, 1)).Events.Single().Type);
        foreach (var viewer in new[] { reader, author })
        {
            var seen = (await viewer.GetThreadAsync(thread.Id)).Replies.Single();
            Assert.Equal("Corrected words, looked at by a moderator.", seen.Body);
            Assert.NotNull(seen.EditedAt);
            Assert.Null(seen.PendingEdit);
        }

        Assert.Empty(await QueueOfAsync(admin, thread.Id));
        var audit = await (await admin.GetAsync($"/api/moderation/audit?action=approve-edit&threadId={thread.Id}"))
            .ReadAsync<List<AuditEntryDto>>();
        Assert.Equal(reply.Id, Assert.Single(audit).ReplyId);
    }

    [Fact]
    public async Task Rejecting_a_waiting_edit_keeps_the_published_words_and_tells_only_the_author_why()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("An edit turned down");
        var reply = await author.ReplyAsync(thread.Id, Published);
        await HoldAllRepliesOfAsync(admin, reply.Author.UserId!);
        await EditAsync(author, reply.Id, "Visit https://spam.example for prizes, everyone!");

        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.PostAsJsonAsync($"/api/replies/{reply.Id}/reject", new RejectReplyRequest("No advertising, please"))).StatusCode);
        await (await admin.PostAsJsonAsync($"/api/replies/{reply.Id}/reject", new RejectReplyRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "no longer waiting for approval");

        var seenByAuthor = (await author.GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal((ReplyState.Visible, Published, (PendingEditDto?)null), (seenByAuthor.State, seenByAuthor.Body, seenByAuthor.PendingEdit));
        Assert.Equal("No advertising, please", seenByAuthor.RejectedEdit?.Reason);
        var seenByReader = (await reader.GetThreadAsync(thread.Id)).Replies.Single();
        Assert.Equal((Published, (RejectedEditDto?)null, (DateTimeOffset?)null), (seenByReader.Body, seenByReader.RejectedEdit, seenByReader.EditedAt));
        Assert.Equal(1L, (await reader.GetThreadAsync(thread.Id)).LatestSeq);
        Assert.Empty(await QueueOfAsync(admin, thread.Id));
        var audit = await (await admin.GetAsync($"/api/moderation/audit?action=reject-edit&threadId={thread.Id}"))
            .ReadAsync<List<AuditEntryDto>>();
        Assert.Equal((reply.Id, "No advertising, please"), (Assert.Single(audit).ReplyId, audit[0].Reason));
    }

    [Fact]
    public async Task The_rules_for_new_replies_hold_an_edit_too_a_new_members_links_and_a_thread_that_holds_new_members()
    {
        using var newcomer = await app.MemberAsync("new-linker");
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Edits by a newcomer");
        var reply = await newcomer.ReplyAsync(thread.Id, Published);
        Assert.Equal(ReplyState.Visible, reply.State);

        var withLinks = await EditAsync(newcomer, reply.Id,
            $"See https://a.example and https://b.example and https://c.example {Guid.NewGuid():N}");
        Assert.NotNull(withLinks.PendingEdit);
        Assert.Equal("an edit of a published reply (held: 3 links from a new member)", Assert.Single(await QueueOfAsync(admin, thread.Id)).HeldReason);

        (await admin.PutAsJsonAsync($"/api/threads/{thread.Id}/moderation", new ApprovalSettingsDto(true))).EnsureSuccessStatusCode();
        var plain = await EditAsync(newcomer, reply.Id, "Plain words now, but this thread holds new members.");
        Assert.Equal((Published, "Plain words now, but this thread holds new members."), (plain.Body, plain.PendingEdit?.Body));
        Assert.Equal("an edit of a published reply (new members' replies need approval)",
            Assert.Single(await QueueOfAsync(admin, thread.Id)).HeldReason);
        Assert.Equal(Published, (await reader.GetThreadAsync(thread.Id)).Replies.Single().Body);

        // Moderators are never held.
        var moderatorsReply = await admin.ReplyAsync(thread.Id, "A moderator's words.");
        var moderatorsEdit = await EditAsync(admin, moderatorsReply.Id, "https://a.example https://b.example https://c.example");
        Assert.Equal((ReplyState.Visible, (PendingEditDto?)null), (moderatorsEdit.State, moderatorsEdit.PendingEdit));
        Assert.Contains("https://c.example", moderatorsEdit.Body);
    }

    [Fact]
    public async Task A_member_who_is_not_held_edits_at_once_and_an_edit_after_the_hold_is_lifted_replaces_the_waiting_one()
    {
        using var author = await app.MemberAsync();
        using var reader = await app.MemberAsync();
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("Ordinary edits");
        var reply = await author.ReplyAsync(thread.Id, Published);

        var edited = await EditAsync(author, reply.Id, "Edited at once, as always.");
        Assert.Equal(("Edited at once, as always.", (PendingEditDto?)null), (edited.Body, edited.PendingEdit));
        Assert.Equal("Edited at once, as always.", (await reader.GetThreadAsync(thread.Id)).Replies.Single().Body);
        var log = (await reader.EventsAfterAsync(thread.Id, 1)).Events.Single();
        Assert.Equal((ThreadEventTypes.ReplyEdited, "Edited at once, as always."), (log.Type, log.Reply!.Body));
        Assert.Empty(await QueueOfAsync(admin, thread.Id));
        // Nothing waits on this reply: approving or rejecting it is refused as before.
        await (await admin.PostAsync($"/api/replies/{reply.Id}/approve", null))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "no longer waiting for approval");
        await (await admin.PostAsJsonAsync($"/api/replies/{reply.Id}/reject", new RejectReplyRequest(null)))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "no longer waiting for approval");

        var authorId = reply.Author.UserId!;
        await HoldAllRepliesOfAsync(admin, authorId);
        Assert.NotNull((await EditAsync(author, reply.Id, "Held while the hold lasts.")).PendingEdit);
        (await admin.PutAsJsonAsync($"/api/users/{authorId}/hold", new HoldRepliesRequest(false))).EnsureSuccessStatusCode();

        var afterHold = await EditAsync(author, reply.Id, "Published once the hold is lifted.");
        Assert.Equal(("Published once the hold is lifted.", (PendingEditDto?)null), (afterHold.Body, afterHold.PendingEdit));
        Assert.Equal("Published once the hold is lifted.", (await reader.GetThreadAsync(thread.Id)).Replies.Single().Body);
        Assert.Empty(await QueueOfAsync(admin, thread.Id));
    }

    [Fact]
    public async Task On_the_thread_page_the_author_sees_their_edit_waiting_and_later_why_it_was_not_approved()
    {
        var author = await app.PrincipalAsync("Edith");
        var authorId = author.FindFirstValue(ClaimTypes.NameIdentifier)!;
        using var admin = await app.AdminAsync();
        var thread = await admin.StartThreadAsync("An edit on the page");
        var reply = await app.Service<ReplyService>().PostAsync(author, new PostReplyRequest(thread.Id, null, Published));
        await HoldAllRepliesOfAsync(admin, authorId);
        await using var authorsPage = await RenderedThreadPage.OpenAsync(app, thread.Id, thread.Slug, reader: author);

        await authorsPage.Page.InvokeAsync(() => authorsPage.Session.EditReplyAsync(reply.Id, "Words a moderator must see first."));

        await authorsPage.WaitForAsync(() => Assert.Contains("Your edit is waiting for a moderator",
            authorsPage.Page.Find($"#reply-{reply.Id} > [data-testid=edit-awaiting-approval]").TextContent));
        Assert.Equal(Published, authorsPage.BodyOf(reply.Id));
        Assert.Equal("Words a moderator must see first.",
            authorsPage.Page.Find($"#reply-{reply.Id} > [data-testid=pending-edit-text]").TextContent.Trim());
        await using (var readersPage = await RenderedThreadPage.OpenAsync(app, thread.Id, thread.Slug))
        {
            Assert.Equal(Published, readersPage.BodyOf(reply.Id));
            Assert.Empty(readersPage.Page.FindAll("[data-testid=edit-awaiting-approval], [data-testid=pending-edit-text]"));
        }

        (await admin.PostAsJsonAsync($"/api/replies/{reply.Id}/reject", new RejectReplyRequest("Keep it on topic"))).EnsureSuccessStatusCode();
        await using var reopened = await RenderedThreadPage.OpenAsync(app, thread.Id, thread.Slug, reader: author);
        Assert.Equal(Published, reopened.BodyOf(reply.Id));
        Assert.Empty(reopened.Page.FindAll("[data-testid=edit-awaiting-approval]"));
        Assert.Equal("Your last edit was not approved by a moderator, so everyone still sees the text above. The reason: Keep it on topic",
            reopened.Page.Find($"#reply-{reply.Id} > [data-testid=edit-not-approved]").TextContent);
    }

    private static async Task HoldAllRepliesOfAsync(HttpClient moderator, string userId) =>
        (await moderator.PutAsJsonAsync($"/api/users/{userId}/hold", new HoldRepliesRequest(true))).EnsureSuccessStatusCode();

    private static async Task<ReplyDto> EditAsync(HttpClient author, long replyId, string body) =>
        await (await author.PutAsJsonAsync($"/api/replies/{replyId}", new EditReplyRequest(body))).ReadAsync<ReplyDto>();

    // The queue is the whole site's, and other tests hold replies on this app too: the part for this thread.
    private static async Task<List<HeldReplyDto>> QueueOfAsync(HttpClient moderator, long threadId) =>
        [.. (await (await moderator.GetAsync("/api/moderation/queue")).ReadAsync<List<HeldReplyDto>>()).Where(h => h.Reply.ThreadId == threadId)];
}
