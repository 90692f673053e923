using LiveDiscussion.Contracts;
using LiveDiscussion.Tests.Realtime;
using LiveDiscussion.TestSupport;
using LiveDiscussion.Web.Features.Events;
using LiveDiscussion.Web.Features.Moderation;
using LiveDiscussion.Web.Features.Replies;
using LiveDiscussion.Web.Features.Threads;
using LiveDiscussion.Web.Infrastructure;

namespace LiveDiscussion.Tests.Moderation;

/// <summary>
/// A page event forged by a member (a hidden button clicked through the browser's console) reaches the same service
/// call a moderator's would; the service, not the button, refuses it.
/// </summary>
public sealed class ForgedPageEventTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    [Fact]
    public async Task Every_moderator_action_called_as_a_member_is_refused_and_changes_and_broadcasts_nothing()
    {
        var member = await app.PrincipalAsync("Mallory");
        var author = await app.PrincipalAsync("Julia");
        var threads = app.Service<ThreadService>();
        var replies = app.Service<ReplyService>();
        var thread = await threads.StartAsync(author, new CreateThreadRequest("Target", "Body"));
        var reply = await replies.PostAsync(author, new PostReplyRequest(thread.Id, null, "a reply"));
        await using var watcher = await HubWatcher.ConnectAsync(app);
        await watcher.WatchAsync(thread.Id, afterSeq: 1);

        Func<Task>[] forged =
        [
            () => threads.CloseAsync(member, thread.Id, "mine"),
            () => threads.ReopenAsync(member, thread.Id),
            () => replies.HideAsync(member, reply.Id, "gone"),
            () => replies.RestoreAsync(member, reply.Id),
            () => replies.ApproveAsync(member, reply.Id),
            () => replies.RejectAsync(member, reply.Id, "no"),
            () => replies.DeleteAsync(member, reply.Id),
            () => replies.HeldAsync(member),
            () => app.Service<SuspensionService>().SuspendAsync(member, reply.Author.UserId!, null, "bye"),
            () => app.Service<ApprovalSettingsService>().SetThreadAsync(member, thread.Id, new ApprovalSettingsDto(true)),
        ];
        foreach (var attempt in forged)
        {
            var refusal = await Assert.ThrowsAsync<DiscussionProblem>(attempt);
            Assert.Equal(ProblemKind.Forbidden, refusal.Kind);
        }

        await Task.Delay(300);
        Assert.Empty(watcher.Events);
        var after = await threads.GetAsync(thread.Id);
        Assert.Equal((ThreadState.Open, ReplyState.Visible, 1L), (after.State, after.Replies.Single().State, after.LatestSeq));
        Assert.Single((await app.Service<ThreadEventLog>().GetAfterAsync(thread.Id, 0)).Events);
    }

    [Fact]
    public async Task Hiding_a_deleted_reply_or_reopening_an_open_thread_is_a_conflict()
    {
        var moderator = await app.PrincipalAsync("Mod", "Moderator");
        var author = await app.PrincipalAsync("Julia");
        var threads = app.Service<ThreadService>();
        var replies = app.Service<ReplyService>();
        var thread = await threads.StartAsync(author, new CreateThreadRequest("Target", "Body"));
        var reply = await replies.PostAsync(author, new PostReplyRequest(thread.Id, null, "soon gone"));
        await replies.DeleteAsync(author, reply.Id);

        var hideDeleted = await Assert.ThrowsAsync<DiscussionProblem>(() => replies.HideAsync(moderator, reply.Id, null));
        var reopenOpen = await Assert.ThrowsAsync<DiscussionProblem>(() => threads.ReopenAsync(moderator, thread.Id));

        Assert.Equal((ProblemKind.Conflict, "This reply was deleted."), (hideDeleted.Kind, hideDeleted.Message));
        Assert.Equal((ProblemKind.Conflict, "This thread is already open."), (reopenOpen.Kind, reopenOpen.Message));
    }
}
